namespace CommandCenter.Grains.Devices;

/// <summary>What a device grain keeps across restarts; fields a kind does not use stay empty.</summary>
public sealed class DeviceState
{
    public bool Online { get; set; }
    /// <summary>
    /// Whether this device's going offline was told to its district (which raised its own alert or took it into the
    /// district's grouped one), so coming back only then costs a notice.
    /// </summary>
    public bool OfflineAlertOpen { get; set; }
    /// <summary>The district told of the device going offline; coming back is told to the same one, wherever it is now.</summary>
    public string? OfflineDistrict { get; set; }
    /// <summary>The district (GB/T 2260 code) the registry gives the device; null: taken from its position.</summary>
    public string? District { get; set; }
    public DateTimeOffset? LastSeen { get; set; }
    public DateTimeOffset? LastReport { get; set; }
    public GeoPoint? Position { get; set; }
    public double? Battery { get; set; }
    public Dictionary<string, double> Readings { get; set; } = [];
    /// <summary>A monitor's latest minute, hour or day average per pollutant code.</summary>
    public Dictionary<string, PollutantAverage> Averages { get; set; } = [];
    /// <summary>Per pollutant: consecutive readings above / below the limit, and whether its alert is open.</summary>
    public Dictionary<string, ExceedanceRun> Exceedances { get; set; } = [];
    /// <summary>A sensor's pollution profile from the registry (<see cref="Pollution.PollutionOptions"/>); null: the default one.</summary>
    public string? Profile { get; set; }
    /// <summary>A sensor's last 24 clock hours per pollutant it averages (see <see cref="Pollution.HourlyAverages"/>).</summary>
    public Dictionary<string, List<Pollution.HourBucket>> Hours { get; set; } = [];
    /// <summary>An ambient sensor's real-time AQI; null for other devices or before its first normal reading.</summary>
    public Pollution.AirQuality? Air { get; set; }
    /// <summary>A camera's registration; its stream URL here is scheme, host and port only (see <see cref="ProtectedStreamUrl"/>).</summary>
    public CameraRegistration? Camera { get; set; }
    /// <summary>The camera's full stream URL, credentials and all, encrypted with the data-protection keys; null in state
    /// written before, whose <see cref="Camera"/> holds the URL in the clear.</summary>
    public string? ProtectedStreamUrl { get; set; }
    /// <summary>Whether the video relay last got pictures from the camera; null until it tried.</summary>
    public bool? StreamOnline { get; set; }
    /// <summary>A handheld's place in the dispatch workflow and its current task; null until it is first dispatched.</summary>
    public Dispatch.UnitState? Unit { get; set; }
    /// <summary>The cmdId of the handheld's last answered task, so an answer sent twice is known as a repeat.</summary>
    public string? AnsweredCmdId { get; set; }
    /// <summary>Idempotency keys of the latest status moves, oldest first (see <see cref="Dispatch.DispatchOptions.RememberedMoveKeys"/>).</summary>
    public List<string> MoveKeys { get; set; } = [];

    /// <summary>The device's district now: the registry's, else the one around its position.</summary>
    public string DistrictNow => District ?? Districts.DistrictMap.CodeOf(Position);

    /// <summary>Where the device's offline changes go: the district told of its going offline, so coming back reaches the same one.</summary>
    public string DistrictToTell => OfflineDistrict ?? DistrictNow;

    /// <summary>
    /// Whether the grain has work of its own to resume after a restart, so it must be woken without waiting for its
    /// device: a task sent to a handheld and not acknowledged yet is sent again until it is.
    /// </summary>
    public bool HasWorkToResume => Unit is { Status: Dispatch.UnitStatus.Dispatched, NoAnswer: false, Task: not null };

    /// <summary>Pollutants with an exceedance alert open (under any rule); empty for devices that measure none.</summary>
    public IReadOnlyList<string> OpenExceedances() =>
        Exceedances.Where(e => e.Value.AlertOpen).Select(e => Pollution.ExceedanceRules.CodeOf(e.Key)).Distinct().ToList();

    /// <summary>What screens see of a device in this state; copies what may change later.</summary>
    public DeviceSnapshot SnapshotOf(DeviceKind kind, string id, IReadOnlyList<string> exceeded) => new(
        kind, id, Online, LastSeen, LastReport, Position, Battery,
        new Dictionary<string, double>(Readings), exceeded, Camera?.View, StreamOnline,
        Averages.Count > 0 ? new Dictionary<string, PollutantAverage>(Averages) : null, Unit, Air);
}

/// <summary>One rule of one pollutant: readings (or averages) in a row beyond / within the limit, its alert, its peak.</summary>
public sealed class ExceedanceRun
{
    public int Above { get; set; }
    public int Below { get; set; }
    public bool AlertOpen { get; set; }
    /// <summary>The worst value of the run that opened the alert and since, and when.</summary>
    public double? Peak { get; set; }
    public DateTimeOffset? PeakAt { get; set; }
    /// <summary>How far beyond its limit <see cref="Peak"/> was (value ÷ limit, or limit ÷ value below a lower limit).</summary>
    public double PeakRatio { get; set; }
}
