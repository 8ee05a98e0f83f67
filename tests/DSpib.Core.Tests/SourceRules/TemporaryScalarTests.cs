using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Core.Tests.SourceRules;

/// <summary>
/// TorchSharp passes a <see cref="Scalar"/>'s native handle to libtorch and does not keep the managed object alive
/// for the call, so a temporary Scalar (an implicit conversion from a number, or the alpha that <c>Tensor.add</c>
/// and the arithmetic operators create inside TorchSharp) can be finalised, and its native value freed, while
/// libtorch is still reading it. Long trainings crashed with "Scalar::toFloat" that way. The library therefore
/// passes only Scalars it holds (<c>Scalars</c> constants, or a local disposed after the call) and uses
/// <c>TensorArithmetic</c> instead of the operators; this test reads the compiled library's IL and fails on every
/// call that does not.
/// </summary>
public sealed class TemporaryScalarTests
{
    [Fact]
    public void TheLibraryCreatesNoTemporaryScalarsForTorchSharp()
    {
        var findings = TemporaryScalarScan.Scan(typeof(DSpibModel).Assembly.Location, _ => true);

        findings.Should().BeEmpty(
            "TorchSharp does not keep a temporary Scalar alive during the native call; pass a Scalar the code holds "
            + "(Scalars.One, or `using var s = value.ToScalar();`) and use TensorArithmetic instead of the operators:{0}{1}",
            Environment.NewLine,
            string.Join(Environment.NewLine, findings));
    }

    [Fact]
    public void TheScanFindsEachKindOfTemporaryScalar()
    {
        var findings = TemporaryScalarScan.Scan(typeof(TemporaryScalarTests).Assembly.Location, type => type == nameof(Offending));

        findings.Should().HaveCount(6, "every method of Offending but the last creates one temporary Scalar: {0}", string.Join("; ", findings));
        findings.Should().Contain(f => f.Contains("TemporaryScalarTests.cs", StringComparison.Ordinal), "findings name the source line");
    }

    /// <summary>Never called: compiled only so that the scan has something to find.</summary>
    private static class Offending
    {
        public static Tensor Sum(Tensor a, Tensor b) => a + b;

        public static Tensor Scaled(Tensor a) => a * 2.0;

        public static Tensor Shifted(Tensor a) => 1.0 - a;

        public static Tensor Clamped(Tensor a) => a.clamp_min(1e-6);

        public static Tensor Added(Tensor a, Tensor b) => a.add(b);

        public static Tensor InPlace(Tensor a, Tensor b) => a.add_(b);

        public static Tensor Held(Tensor a, Tensor b, Scalar one) => a.add(b, one) - b;
    }
}

/// <summary>Finds the calls in an assembly's IL that make TorchSharp use a temporary <see cref="Scalar"/>.</summary>
internal static class TemporaryScalarScan
{
    private static readonly Dictionary<ushort, OpCode> OpCodesByValue = typeof(OpCodes).GetFields()
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => unchecked((ushort)o.Value));

    public static List<string> Scan(string assemblyPath, Func<string, bool> includeType)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var metadata = pe.GetMetadataReader();
        using var pdbStream = File.OpenRead(Path.ChangeExtension(assemblyPath, ".pdb"));
        using var pdbProvider = MetadataReaderProvider.FromPortablePdbStream(pdbStream);
        var pdb = pdbProvider.GetMetadataReader();

        var findings = new List<string>();
        foreach (var typeHandle in metadata.TypeDefinitions)
        {
            var type = metadata.GetTypeDefinition(typeHandle);
            if (!includeType(OutermostName(metadata, type)))
            {
                continue;
            }

            foreach (var methodHandle in type.GetMethods())
            {
                var method = metadata.GetMethodDefinition(methodHandle);
                if (method.RelativeVirtualAddress == 0)
                {
                    continue;
                }

                var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes()!;
                foreach (var (offset, token) in CallTargets(il))
                {
                    if (Reason(metadata, MetadataTokens.EntityHandle(token)) is string reason)
                    {
                        findings.Add($"{SourceLine(pdb, methodHandle, offset)}: {reason} in {metadata.GetString(type.Name)}.{metadata.GetString(method.Name)}");
                    }
                }
            }
        }

        return findings;
    }

    /// <summary>Why a call target makes a temporary Scalar, or null when it does not.</summary>
    private static string? Reason(MetadataReader metadata, EntityHandle target)
    {
        if (target.Kind != HandleKind.MemberReference)
        {
            return null;
        }

        var member = metadata.GetMemberReference((MemberReferenceHandle)target);
        if (member.Parent.Kind != HandleKind.TypeReference)
        {
            return null;
        }

        var parent = metadata.GetTypeReference((TypeReferenceHandle)member.Parent);
        var typeName = metadata.GetString(parent.Name);
        var name = metadata.GetString(member.Name);
        var parameters = typeName == "Tensor" ? ParameterKinds(metadata, member.Signature) : [];
        return (typeName, name) switch
        {
            ("Scalar", "op_Implicit") => "implicit conversion to Scalar",
            // Every + calls add, whose alpha TorchSharp makes as a new Scalar.
            ("Tensor", "op_Addition") => "Tensor operator +",
            // Other operators make one when an operand is a number (converted inside the operator).
            ("Tensor", "op_Subtraction" or "op_Multiply" or "op_Division" or "op_Modulus") when parameters.Any(p => p) => $"Tensor {name} with a number",
            ("Tensor", "add" or "add_") when parameters.Count == 1 => $"Tensor.{name} without an alpha",
            _ => null,
        };
    }

    /// <summary>For each parameter of a method signature, whether it is a primitive number.</summary>
    private static List<bool> ParameterKinds(MetadataReader metadata, BlobHandle signature)
    {
        var blob = metadata.GetBlobReader(signature);
        var header = blob.ReadSignatureHeader();
        if (header.IsGeneric)
        {
            blob.ReadCompressedInteger();
        }

        var count = blob.ReadCompressedInteger();
        SkipType(ref blob);
        var kinds = new List<bool>(count);
        for (var i = 0; i < count; i++)
        {
            var code = blob.ReadByte();
            kinds.Add(code is >= 0x04 and <= 0x0d); // ELEMENT_TYPE_I1 ... ELEMENT_TYPE_R8
            if (code is 0x11 or 0x12)
            {
                blob.ReadCompressedInteger();
            }
        }

        return kinds;
    }

    private static void SkipType(ref BlobReader blob)
    {
        var code = blob.ReadByte();
        if (code is 0x11 or 0x12)
        {
            blob.ReadCompressedInteger();
        }
    }

    /// <summary>The IL offset and metadata token of every call, callvirt and newobj in a method body.</summary>
    private static IEnumerable<(int Offset, int Token)> CallTargets(byte[] il)
    {
        for (var i = 0; i < il.Length;)
        {
            var start = i;
            ushort value = il[i++];
            if (value == 0xFE)
            {
                value = (ushort)(0xFE00 | il[i++]);
            }

            var op = OpCodesByValue[value];
            var operandSize = op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, i)),
                _ => 4,
            };
            if (op.OperandType == OperandType.InlineMethod)
            {
                yield return (start, BitConverter.ToInt32(il, i));
            }

            i += operandSize;
        }
    }

    private static string SourceLine(MetadataReader pdb, MethodDefinitionHandle method, int offset)
    {
        var point = pdb.GetMethodDebugInformation(method).GetSequencePoints()
            .Where(p => !p.IsHidden && p.Offset <= offset)
            .OrderBy(p => p.Offset)
            .LastOrDefault();
        return point.Document.IsNil
            ? "(no source line)"
            : $"{Path.GetFileName(pdb.GetString(pdb.GetDocument(point.Document).Name))}:{point.StartLine}";
    }

    private static string OutermostName(MetadataReader metadata, TypeDefinition type)
    {
        while (type.GetDeclaringType() is { IsNil: false } declaring && !IsTestClass(metadata, declaring))
        {
            type = metadata.GetTypeDefinition(declaring);
        }

        return metadata.GetString(type.Name);
    }

    // Nested types of the test class are reported by their own name (Offending), not the test class's.
    private static bool IsTestClass(MetadataReader metadata, TypeDefinitionHandle handle) =>
        metadata.GetString(metadata.GetTypeDefinition(handle).Name) == nameof(TemporaryScalarTests);
}
