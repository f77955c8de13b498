namespace CommandCenter.Web.Accounts;

/// <summary>Names Identity's password-rule messages in Chinese: Resources/Accounts/PasswordRuleText.resx (zh-CN) and .en.resx.</summary>
public sealed class PasswordRuleText;
