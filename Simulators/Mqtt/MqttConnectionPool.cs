using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using CommandCenter.Simulators.Devices;
using CommandCenter.Simulators.Hosting;
using CommandCenter.Simulators.Reporting;

namespace CommandCenter.Simulators.Mqtt;

/// <summary>A few broker connections that carry the traffic of all simulated devices.</summary>
public sealed class MqttConnectionPool : IHostedService
{
    readonly MqttConnection[] connections;

    public MqttConnectionPool(IOptions<SimulatorOptions> options, SimulatorStats stats, ILoggerFactory loggerFactory)
    {
        var mqtt = options.Value.Mqtt;
        connections = [.. Enumerable.Range(1, mqtt.Connections)
            .Select(number => new MqttConnection(number, mqtt, stats, loggerFactory.CreateLogger<MqttConnection>()))];
    }

    public int Count => connections.Length;
    public int ConnectedCount => connections.Count(connection => connection.IsConnected);

    /// <summary>Sends a device's message; a device always uses the same connection so that its messages arrive in order.</summary>
    public ValueTask PublishAsync(int deviceIndex, DevicePublication publication, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(publication.Topic)
            .WithPayload(publication.Payload)
            .WithQualityOfServiceLevel(QualityOfServiceFor(publication.Channel))
            .Build();
        return connections[deviceIndex % connections.Length].PublishAsync(message, cancellationToken);
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
