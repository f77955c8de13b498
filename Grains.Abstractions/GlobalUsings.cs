global using Orleans;
global using Orleans.Runtime;
global using CommandCenter.Grains.Storage;
