namespace CommandCenter.Web.Live;

/// <summary>Names the live page's strings: Resources/Live/LiveText.resx (zh-CN) and LiveText.en.resx.</summary>
public sealed class LiveText;
