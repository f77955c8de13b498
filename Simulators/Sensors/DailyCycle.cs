namespace CommandCenter.Simulators.Sensors;

/// <summary>How a pollutant's expected level moves over the local day: rush-hour and afternoon peaks around its baseline.</summary>
public sealed class DailyCycle(AirOptions air)
{
    const double HoursPerDay = 24;

    public double ExpectedLevel(PollutantProfile profile, double siteFactor, double hourOfDay)
    {
        var rushHour = Peak(hourOfDay, air.MorningRushHour, air.RushHourWidthHours)
                     + Peak(hourOfDay, air.EveningRushHour, air.RushHourWidthHours);
        var afternoon = Peak(hourOfDay, air.AfternoonPeakHour, air.AfternoonWidthHours);
        var factor = 1 + profile.RushHourGain * rushHour + profile.AfternoonGain * afternoon;
        return Math.Max(0, profile.Baseline * siteFactor * factor);
    }

    /// <summary>A bell curve that is 1 at <paramref name="peakHour"/>, measured round the clock (23:00 is near 01:00).</summary>
    static double Peak(double hourOfDay, double peakHour, double widthHours)
    {
        var distance = Math.Abs(hourOfDay - peakHour) % HoursPerDay;
        distance = Math.Min(distance, HoursPerDay - distance);
        return Math.Exp(-0.5 * Math.Pow(distance / widthHours, 2));
    }
}
