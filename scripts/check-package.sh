#!/usr/bin/env bash
# Package-consumption check: packs DSpib.Core and DSpib.Systems into a temporary local feed, checks what the
# packages contain, then builds and runs a fresh console application outside the solution that references only the
# DSpib.Core package and the CPU backend libtorch-cpu-linux-x64, and trains, encodes, samples and exports with it
# (scripts/package-check/Program.cs). Exits non-zero when anything fails.
#
# The application restores into its own empty package folder, with the machine's NuGet cache as a fallback
# folder: the ~0.5 GB native backend is used from that cache in place, and the DSpib packages, packed with a
# version of their own for this run, can only come from the local feed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

work="$(mktemp -d "${TMPDIR:-/tmp}/dspib-package-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT
feed="$work/feed"
app="$work/app"
mkdir -p "$feed" "$app" "$work/packages" "$work/scratch"

started=$SECONDS
phase() { echo "check-package: $1 ($((SECONDS - started)) s)"; }

base_version="$(dotnet msbuild src/DSpib.Core/DSpib.Core.csproj -getProperty:Version -nologo)"
version="$base_version-check.$(date -u +%Y%m%d%H%M%S)"
libtorch_version="$(sed -n 's/.*Include="libtorch-cpu-linux-x64" Version="\([^"]*\)".*/\1/p' Directory.Packages.props)"
machine_cache="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')"

phase "packing $version"
for project in src/DSpib.Core/DSpib.Core.csproj src/DSpib.Systems/DSpib.Systems.csproj; do
  # PackageVersion only names the package: the assemblies are the ones the Release build made.
  dotnet pack "$project" -c Release -o "$feed" -p:PackageVersion="$version" --nologo -v quiet
done

fail() { echo "check-package: FAILED: $1" >&2; exit 1; }
for id in DSpib.Core DSpib.Systems; do
  nupkg="$feed/$id.$version.nupkg"
  snupkg="$feed/$id.$version.snupkg"
  [[ -f "$nupkg" ]] || fail "$nupkg was not created"
  [[ -f "$snupkg" ]] || fail "no symbols package $snupkg"
  contents="$(unzip -Z1 "$nupkg")"
  for entry in README.md "lib/net10.0/$id.dll" "lib/net10.0/$id.xml"; do
    grep -qx "$entry" <<<"$contents" || fail "$id package lacks $entry"
  done
  grep -qx "lib/net10.0/$id.pdb" <<<"$(unzip -Z1 "$snupkg")" || fail "$id symbols package lacks the pdb"
  nuspec="$(unzip -p "$nupkg" "$id.nuspec")"
  for field in '<license type="expression">MIT</license>' '<readme>README.md</readme>' '<repository type="git" url="https://github.com/dspib/dspib"' '<tags>' '<description>'; do
    grep -qF "$field" <<<"$nuspec" || fail "$id.nuspec lacks $field"
  done
done

# Keep the application away from any Directory.Build.* or central package management above the temp folder.
for file in Directory.Build.props Directory.Build.targets Directory.Packages.props; do
  echo '<Project />' > "$work/$file"
done
cat > "$app/NuGet.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config>
    <add key="globalPackagesFolder" value="$work/packages" />
  </config>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
  <!-- DSpib comes from the local feed only, so no package of that name elsewhere can stand in for it. -->
  <packageSourceMapping>
    <packageSource key="local">
      <package pattern="DSpib.*" />
    </packageSource>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
  <fallbackPackageFolders>
    <clear />
    <add key="machine" value="$machine_cache" />
  </fallbackPackageFolders>
</configuration>
XML
cat > "$app/PackageCheck.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <InvariantGlobalization>true</InvariantGlobalization>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="DSpib.Core" Version="$version" />
    <PackageReference Include="libtorch-cpu-linux-x64" Version="$libtorch_version" />
  </ItemGroup>
</Project>
XML
cp scripts/package-check/Program.cs "$app/Program.cs"

phase "restoring and building the application"
dotnet build "$app/PackageCheck.csproj" -c Release --nologo -v quiet
[[ -d "$work/packages/dspib.core/$version" ]] || fail "DSpib.Core $version was not restored from the local feed"

phase "running it"
dotnet "$app/bin/Release/net10.0/PackageCheck.dll" "$work/scratch"
phase "done"
