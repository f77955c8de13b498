namespace CommandCenter.Simulators.Devices;

public sealed class CameraViewOptions
{
    public double FieldOfView { get; set; } = 70;
    public double Range { get; set; } = 250;
    /// <summary>How far from the sensor it watches a camera stands.</summary>
    public double DistanceFromSensor { get; set; } = 80;
}
