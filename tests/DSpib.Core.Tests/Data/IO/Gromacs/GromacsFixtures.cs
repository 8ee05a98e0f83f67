namespace DSpib.Core.Tests.Data.IO.Gromacs;

/// <summary>The files GROMACS wrote for these tests (Data/IO/Fixtures/Gromacs, with the commands in its README).</summary>
internal static class GromacsFixtures
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "tests", "DSpib.Core.Tests", "Data", "IO", "Fixtures", "Gromacs");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"The GROMACS fixtures were not found above {AppContext.BaseDirectory}.");
    });

    public static string File(string name) => Path.Combine(Folder.Value, name);

    public static byte[] Bytes(string name) => System.IO.File.ReadAllBytes(File(name));

    public static string Text(string name) => System.IO.File.ReadAllText(File(name));
}
