using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace CommandCenter.Web.Accounts;

/// <summary>
/// Identity's messages about a password in Simplified Chinese when the culture at the time of the error is Chinese,
/// and as Identity words them otherwise. The culture is read when the error is made, not when this is built: one
/// describer serves a whole circuit, and the error codes stay Identity's either way.
/// </summary>
public sealed class ChineseIdentityErrors(IStringLocalizer<PasswordRuleText> text) : IdentityErrorDescriber
{
    private static bool Chinese => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "zh";

    public override IdentityError PasswordTooShort(int length) => Say(base.PasswordTooShort(length), length);
    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => Say(base.PasswordRequiresUniqueChars(uniqueChars), uniqueChars);
    public override IdentityError PasswordRequiresNonAlphanumeric() => Say(base.PasswordRequiresNonAlphanumeric());
    public override IdentityError PasswordRequiresDigit() => Say(base.PasswordRequiresDigit());
    public override IdentityError PasswordRequiresLower() => Say(base.PasswordRequiresLower());
    public override IdentityError PasswordRequiresUpper() => Say(base.PasswordRequiresUpper());
    public override IdentityError PasswordMismatch() => Say(base.PasswordMismatch());
    public override IdentityError DefaultError() => Say(base.DefaultError());

    /// <summary>The error as Identity made it, its description in Chinese (keyed by Identity's code) under zh.</summary>
    private IdentityError Say(IdentityError english, params object[] values)
    {
        if (!Chinese) return english;
        var chinese = text[english.Code, values];
        return chinese.ResourceNotFound ? english : new IdentityError { Code = english.Code, Description = chinese.Value };
    }
}
