namespace CommandCenter.Web.Phone;

/// <summary>Names the inspector's phone page strings (page and scripts): Resources/Phone/PhoneText.resx (zh-CN) and PhoneText.en.resx.</summary>
public sealed class PhoneText;
