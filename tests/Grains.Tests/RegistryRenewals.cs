using CommandCenter.Grains.Live;

namespace CommandCenter.Grains.Tests;

/// <summary>
/// Cuts one silo's renewals with the live feed's registry while <see cref="Cut"/> is set: its calls to
/// <see cref="ILiveFeedRegistry.Register"/> fail as they would with the registry out of reach, and everything else
/// (its batches to the other nodes, the registry's calls to it) goes on. Each silo of a <see cref="GrainCluster"/> has one.
/// </summary>
public sealed class RegistryRenewals : IOutgoingGrainCallFilter
{
    private volatile bool _cut;

    public bool Cut
    {
        get => _cut;
        set => _cut = value;
    }

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (_cut && context.InterfaceMethod?.DeclaringType == typeof(ILiveFeedRegistry) && context.MethodName == nameof(ILiveFeedRegistry.Register))
            throw new TimeoutException("This silo's renewals with the live feed's registry are cut");
        return context.Invoke();
    }
}
