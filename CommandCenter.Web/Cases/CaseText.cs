namespace CommandCenter.Web.Cases;

/// <summary>Names the case pages' strings: Resources/Cases/CaseText.resx (zh-CN) and CaseText.en.resx.</summary>
public sealed class CaseText;
