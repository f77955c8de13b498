namespace CommandCenter.Grains.Devices;

public interface IDeviceGrain : IGrainWithStringKey
{
    Task ReportStatus(DeviceStatusReport status);
    Task ReportEvent(DeviceEvent deviceEvent);
    Task<DeviceSnapshot> GetSnapshot();
    /// <summary>Wakes the grain so it watches its device's silence again, e.g. after a restart.</summary>
    Task Watch();
    /// <summary>
    /// The device was retired from the registry: it is no longer watched (no offline alert follows), leaves the
    /// screens, and its stored state is removed. Its other open alerts stay for the operators to close.
    /// </summary>
    Task Retire();
    /// <summary>The registry names the device's district (null: taken from its position); its offline alerts group by it.</summary>
    Task SetDistrict(string? district);
}

/// <summary>What a device grain did with a measurement.</summary>
public enum ReportOutcome
{
    /// <summary>Taken into the live state.</summary>
    Applied,
    /// <summary>
    /// Older than the device's last report: it proves the device alive but does not move live state
    /// (position, readings, the run of readings above a limit) backwards.
    /// </summary>
    Late,
}

public interface ISensorGrain : IDeviceGrain
{
    Task<ReportOutcome> Report(SensorReading reading);
    /// <summary>
    /// Keeps the latest average per pollutant for the screens; an hour average (flag N) becomes its hour's value in
    /// the sensor's moving averages. Averages raise no alerts themselves; the next reading is judged with them.
    /// </summary>
    Task ReportAverages(SensorAverages averages);
    /// <summary>The registry names the sensor's pollution profile (null: the default); its rules and AQI follow it.</summary>
    Task SetProfile(string? profile);
}

/// <summary>A handheld and the field inspector carrying it: a unit of the dispatch workflow (docs/dispatch.md).</summary>
public interface IHandheldGrain : IDeviceGrain
{
    Task<ReportOutcome> Report(HandheldFix fix);

    /// <summary>The unit's status and current task, for the inspector's phone page.</summary>
    Task<Dispatch.UnitState> GetUnit();
    /// <summary>Takes the task and stores it, unsent, if the unit is online and available.</summary>
    Task<Dispatch.AssignOutcome> Assign(Dispatch.UnitTask task);
    /// <summary>Sends a stored task (its incident has stored it too); unanswered, it is sent again after a restart.</summary>
    Task SendTask(string cmdId);
    /// <summary>The incident lets go of the unit (dispatch undone, incident closed): available again.</summary>
    Task Release(string cmdId, string by);
    /// <summary>The handheld's <c>cmd/ack</c> for <paramref name="cmdId"/>: accepted or rejected moves the unit.</summary>
    Task<Dispatch.AnswerOutcome> Answer(string cmdId, string result, string? text);
    /// <summary>The task went unanswered after every send: the incident's dispatcher is told to choose another unit.</summary>
    Task Unanswered(string cmdId);
    /// <summary>The dispatcher or the signed-in inspector moves the unit within its task.</summary>
    Task<Dispatch.UnitMoveOutcome> Move(Dispatch.UnitMove move);
    /// <summary>The handheld reports its unit's status (en-route, on-scene, done …).</summary>
    Task<Dispatch.UnitMoveOutcome> ReportUnitEvent(Dispatch.UnitEvent unitEvent);
}

public interface ICameraGrain : IDeviceGrain
{
    Task Register(CameraRegistration registration);
    /// <summary>For the video relay only: the URL may carry the camera's credentials.</summary>
    Task<Uri?> GetStreamUrl();
    /// <summary>The video relay got pictures (true) or lost the stream (false, with why).</summary>
    Task ReportStream(bool online, string? reason);
}

public static class DeviceGrains
{
    public static IDeviceGrain Get(this IGrainFactory grains, DeviceKind kind, string id) => kind switch
    {
        DeviceKind.Sensor => grains.GetGrain<ISensorGrain>(id),
        DeviceKind.Handheld => grains.GetGrain<IHandheldGrain>(id),
        _ => grains.GetGrain<ICameraGrain>(id),
    };
}
