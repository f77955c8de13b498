namespace CommandCenter.Web.CaseStatistics;

/// <summary>Names the statistics page's strings: Resources/CaseStatistics/StatisticsText.resx (zh-CN) and StatisticsText.en.resx.</summary>
public sealed class StatisticsText;
