namespace CommandCenter.Web.Components.Pages.Admin;

/// <summary>Names the admin pages' strings: Resources/Components/Pages/Admin/AdminText.resx (zh-CN) and AdminText.en.resx.</summary>
public sealed class AdminText;
