namespace CommandCenter.Web.Sensors;

/// <summary>Names the sensor pages' strings (page, facts, chart): Resources/Sensors/SensorText.resx (zh-CN) and SensorText.en.resx.</summary>
public sealed class SensorText;
