namespace CommandCenter.Web.Components.Layout;

/// <summary>Names the header's strings: Resources/Components/Layout/LayoutText.resx (zh-CN) and LayoutText.en.resx.</summary>
public sealed class LayoutText;
