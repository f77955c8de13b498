namespace CommandCenter.Web.Accounts;

/// <summary>Names the sign-in and password pages' strings: Resources/Accounts/AccountText.resx (zh-CN) and AccountText.en.resx.</summary>
public sealed class AccountText;
