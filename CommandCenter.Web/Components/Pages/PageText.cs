namespace CommandCenter.Web.Components.Pages;

/// <summary>Names the strings of the small pages (an alert's devices, the error page): Resources/Components/Pages/PageText.resx (zh-CN) and PageText.en.resx.</summary>
public sealed class PageText;
