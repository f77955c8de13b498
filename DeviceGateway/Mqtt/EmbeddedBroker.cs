using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace CommandCenter.DeviceGateway.Mqtt;

/// <summary>The MQTT broker inside the command center; every publish on it passes the device router.</summary>
public sealed class EmbeddedBroker(IOptions<MqttOptions> options, DeviceMessageRouter router, ILogger<EmbeddedBroker> logger) : IHostedService
{
    private MqttServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Parse(settings.BindAddress))
            .WithDefaultEndpointPort(settings.Port)
            .WithMaxPendingMessagesPerClient(settings.MaxPendingMessagesPerClient)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        _server.ValidatingConnectionAsync += AssignMissingClientId;
        _server.InterceptingPublishAsync += OnPublish;
        await _server.StartAsync();
        logger.LogInformation("MQTT broker listening on {Address}:{Port}", settings.BindAddress, settings.Port);
    }

    /// <summary>MQTT lets a client connect without an id and have the broker choose one (mosquitto_pub does).</summary>
    private static Task AssignMissingClientId(ValidatingConnectionEventArgs args)
    {
        if (string.IsNullOrEmpty(args.ClientId)) args.AssignedClientIdentifier = $"anonymous-{Guid.NewGuid():N}";
        return Task.CompletedTask;
    }

    private async Task OnPublish(InterceptingPublishEventArgs args)
    {
        var message = args.ApplicationMessage;
        try
        {
            var acknowledged = message.QualityOfServiceLevel != MqttQualityOfServiceLevel.AtMostOnce;
            args.ProcessPublish = await router.Route(args.ClientId, message.Topic, message.Payload, acknowledged);
        }
        catch (Exception)
        {
            // Already counted and logged; refusing the publish tells a QoS 1 device to send it again.
            args.ProcessPublish = false;
            args.Response.ReasonCode = MqttPubAckReasonCode.UnspecifiedError;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is null) return;
        await _server.StopAsync();
        _server.Dispose();
    }
}
