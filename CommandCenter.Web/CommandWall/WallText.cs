using System.Globalization;

namespace CommandCenter.Web.CommandWall;

/// <summary>
/// The command wall's strings: Resources/CommandWall/WallText.resx (Chinese, the default) and WallText.en.resx.
/// </summary>
public sealed class WallText
{
    public static bool IsChinese => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName != "en";

    public static string Time(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}
