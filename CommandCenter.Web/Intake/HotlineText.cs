namespace CommandCenter.Web.Intake;

/// <summary>Names the hotline page's strings: Resources/Intake/HotlineText.resx (zh-CN) and HotlineText.en.resx.</summary>
public sealed class HotlineText;
