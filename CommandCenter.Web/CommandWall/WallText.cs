namespace CommandCenter.Web.CommandWall;

/// <summary>
/// The command wall's strings (and the video wall's additions): Resources/CommandWall/WallText.resx (Chinese, the
/// default) and WallText.en.resx (English).
/// </summary>
public sealed class WallText;
