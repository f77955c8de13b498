namespace CommandCenter.Grains.Storage;

/// <summary>
/// The data directory holds accounts, camera credentials and the keys of sign-in cookies: only the service's own
/// user may read it. Directories are 0700 and files 0600, set when they are created and repaired at start-up for
/// data left by an older version (which created them world-readable).
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>SQLite's companions of a database file; they hold the same data.</summary>
    private static readonly string[] DatabaseSuffixes = ["", "-wal", "-shm", "-journal"];

    public static DirectoryInfo CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows()) return Directory.CreateDirectory(path);
        var directory = Directory.CreateDirectory(path, DirectoryMode);
        File.SetUnixFileMode(path, DirectoryMode);
        return directory;
    }

    /// <summary>
    /// Creates an empty database file readable by its owner only, before SQLite opens it: SQLite would create it
    /// 0644, and it gives the -wal, -shm and -journal files the mode of the database file.
    /// </summary>
    public static void PrepareDatabase(string path)
    {
        CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (OperatingSystem.IsWindows()) return;
        if (!File.Exists(path))
            using (new FileStream(path, new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode })) { }
        foreach (var suffix in DatabaseSuffixes)
            if (File.Exists(path + suffix)) File.SetUnixFileMode(path + suffix, FileMode);
    }

    /// <summary>Makes every file under <paramref name="path"/> 0600 and every directory 0700.</summary>
    public static void Restrict(string path)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(path)) return;
        File.SetUnixFileMode(path, DirectoryMode);
        foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            if (entry.LinkTarget is not null) continue;
            var wanted = entry is DirectoryInfo ? DirectoryMode : FileMode;
            if ((entry.UnixFileMode & ~wanted) != 0) entry.UnixFileMode &= wanted;
        }
    }
}
