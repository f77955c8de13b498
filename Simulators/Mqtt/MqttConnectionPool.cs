using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using CommandCenter.Simulators.Devices;
using CommandCenter.Simulators.Hosting;
using CommandCenter.Simulators.Registration;
using CommandCenter.Simulators.Reporting;

namespace CommandCenter.Simulators.Mqtt;

/// <summary>
/// The broker connections of the simulated devices: one per device, connecting as that device, or a few shared
/// ones as a gateway user (<see cref="MqttOptions.UserName"/>) for load mode.
/// </summary>
public sealed class MqttConnectionPool : IHostedService
{
    readonly MqttConnection[] connections;
    readonly Dictionary<string, MqttConnection> byDevice = [];
    readonly MqttQualityOfServiceLevel? forcedQualityOfService;

    /// <summary>Completes once the devices may connect (they are registered); reports sent before would only fail.</summary>
    public Task Ready { get; }

    public MqttConnectionPool(IOptions<SimulatorOptions> options, SimulatedFleet fleet, DeviceRegistrar registrar, SimulatorStats stats, ILoggerFactory loggerFactory)
    {
        var mqtt = options.Value.Mqtt;
        var logger = loggerFactory.CreateLogger<MqttConnection>();
        forcedQualityOfService = (MqttQualityOfServiceLevel?)mqtt.QualityOfService;
        Ready = registrar.Registered;
        if (mqtt.SharesConnections)
        {
            connections = [.. Enumerable.Range(1, mqtt.Connections).Select(number => new MqttConnection(
                $"{mqtt.ClientIdPrefix}-{Environment.ProcessId}-{number}", (mqtt.UserName, mqtt.Password), Task.CompletedTask, mqtt, stats, logger))];
            return;
        }
        // Sensors speaking HJ 212 have no MQTT connection: the command center hears them on its HJ 212 port.
        foreach (var device in fleet.Devices.Where(d => !(options.Value.Hj212.IsEnabled && d is Sensors.PollutionSensor)))
            byDevice[device.Id] = new MqttConnection(device.Id, (device.Id, mqtt.SecretOf(device.Id)), registrar.Registered, mqtt, stats, logger,
                commandTopic: $"cc/{device.Kind.ToString().ToLowerInvariant()}/{device.Id}/cmd", taker: device as ICommandTaker);
        connections = [.. byDevice.Values];
    }

    public int Count => connections.Length;
    public int ConnectedCount => connections.Count(connection => connection.IsConnected);

    /// <summary>Sends a device's message; a device always uses the same connection so that its messages arrive in order.</summary>
    public ValueTask PublishAsync(int deviceIndex, string deviceId, DevicePublication publication, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(publication.Topic)
            .WithPayload(publication.Payload)
            .WithQualityOfServiceLevel(forcedQualityOfService ?? QualityOfServiceFor(publication.Channel))
            .Build();
        var connection = byDevice.Count > 0 ? byDevice[deviceId] : connections[deviceIndex % connections.Length];
        return connection.PublishAsync(message, cancellationToken);
    }

    // The device contract asks for QoS 1 on status and event; telemetry is frequent and the next report replaces a lost one.
    static MqttQualityOfServiceLevel QualityOfServiceFor(DeviceChannel channel) =>
        channel == DeviceChannel.Telemetry ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var connection in connections) connection.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(connections.Select(connection => connection.StopAsync(cancellationToken)));
}
