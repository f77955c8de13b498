using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CommandCenter.DeviceGateway.Commands;
using CommandCenter.DeviceGateway.Registry;
using CommandCenter.Grains.Devices;

namespace CommandCenter.Web.Api;

/// <summary>Sending a command to a device and waiting for its answer (docs/device-contract.md, "Commands").</summary>
public static partial class DeviceCommandEndpoints
{
    public sealed record CommandRequest(string? Type, JsonObject? Args);

    [GeneratedRegex("^[a-z0-9-]{1,32}$")]
    private static partial Regex CommandTypePattern();

    public static void MapDeviceCommands(this RouteGroupBuilder api)
    {
        api.MapPost("/devices/{kind}/{id}/commands", async (string kind, string id, CommandRequest body, DeviceCommands commands, CancellationToken ct) =>
        {
            if (!DeviceKinds.TryParse(kind, out var deviceKind))
                return Results.Problem($"Unknown device kind '{kind}': handheld, sensor or camera.", statusCode: 404);
            if (!DeviceRegistry.IsValidId(id))
                return Results.Problem("The device id must be 1-64 of A-Z a-z 0-9 . _ -.", statusCode: 400);
            if (body.Type is not { } type || !CommandTypePattern().IsMatch(type))
                return Results.Problem("type must be 1-32 of a-z 0-9 -.", statusCode: 400);
            var outcome = await commands.Send(deviceKind, id, type, body.Args, ct);
            // 504: the device never answered; the caller learns it, with how often the command was sent.
            return outcome.Acknowledged ? Results.Ok(outcome) : Results.Json(outcome, statusCode: StatusCodes.Status504GatewayTimeout);
        }).RequireScope(ApiScope.Operate);
    }
}
