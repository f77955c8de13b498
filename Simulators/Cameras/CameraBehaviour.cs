namespace CommandCenter.Simulators.Cameras;

/// <summary>What a simulated camera does with its clients, so tests can make it fail the ways real cameras do.</summary>
public enum CameraBehaviour
{
    Normal,

    /// <summary>Client connections are closed and new ones are dropped, as when a camera reboots or loses power.</summary>
    HungUp,

    /// <summary>Connections stay open but nothing is sent or answered, as when a camera or its link freezes.</summary>
    Stalled,
}
