using System.Diagnostics;
using System.Runtime.Versioning;

namespace DSpib.Core.Tests.Support;

/// <summary>
/// Makes a folder read-only for this process until disposed: by permissions, and, for a privileged process that
/// ignores permissions, with the immutable attribute (chattr +i).
/// </summary>
[UnsupportedOSPlatform("windows")]
internal sealed class ReadOnlyFolder : IDisposable
{
    private readonly string _folder;
    private readonly UnixFileMode _mode;
    private readonly bool _immutable;

    public ReadOnlyFolder(string folder)
    {
        _folder = folder;
        _mode = File.GetUnixFileMode(folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        if (CanCreateFileIn(folder))
        {
            _immutable = RunChattr("+i", folder);
            if (CanCreateFileIn(folder))
            {
                Dispose();
                throw new InvalidOperationException($"The test needs a folder this process cannot write to, but neither permissions nor chattr +i made '{folder}' read-only.");
            }
        }
    }

    public void Dispose()
    {
        if (_immutable)
        {
            RunChattr("-i", _folder);
        }

        File.SetUnixFileMode(_folder, _mode);
    }

    private static bool CanCreateFileIn(string folder)
    {
        var probe = Path.Combine(folder, $".probe-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    private static bool RunChattr(string flag, string folder)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("chattr", [flag, folder]) { RedirectStandardError = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
