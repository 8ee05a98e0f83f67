using System.Collections.Immutable;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace DSpib.Core.Tests.SourceRules;

/// <summary>
/// The TorchSharp members the library must not call, each with the reason: those that, directly or through the members
/// they call, make a <c>Scalar</c> they neither keep nor dispose (read from TorchSharp's own IL, so an upgrade of
/// TorchSharp re-derives the list), and a few whose hazard IL cannot show (<see cref="Listed"/>).
/// </summary>
internal static class TorchSharpHazards
{
    /// <summary>Members whose hazard is not visible in the IL, by the signature key <see cref="Assembly.Key(MethodDefinitionHandle)"/> prints.</summary>
    public static readonly IReadOnlyDictionary<string, string> Listed = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["TorchSharp.torch/nn::Linear(Int64,Int64,Boolean,TorchSharp.torch/Device,System.Nullable`1<TorchSharp.torch/ScalarType>)"] =
            "initialises from the process-wide RNG (the host's, and unseeded for the model) and leaves its two emptied tensors to the finalizer; use SeededInitialization.Linear",
        ["TorchSharp.torch/nn/Module::register_buffer(String,TorchSharp.torch/Tensor,Boolean)"] =
            "TorchSharp 0.107 neither moves (to) nor disposes a non-persistent buffer; keep a persistent buffer as a Tensor field (RegisterComponents) and other tensors in an owned object",
        ["TorchSharp.torch/nn/init::uniform_(TorchSharp.torch/Tensor,Double,Double,TorchSharp.torch/Generator)"] =
            "ignores its generator in TorchSharp 0.107, so the draw is not seeded by the model; draw with torch.rand(generator) instead",
        ["TorchSharp.torch/nn/init::normal_(TorchSharp.torch/Tensor,Double,Double,TorchSharp.torch/Generator)"] =
            "ignores its generator in TorchSharp 0.107, so the draw is not seeded by the model; draw with torch.randn(generator) instead",
    };

    /// <summary>The hazard of every TorchSharp method that makes a Scalar it does not dispose, or calls one that does.</summary>
    public static Dictionary<string, string> TemporaryScalarMakers(string torchSharpPath)
    {
        using var torchSharp = new Assembly(torchSharpPath);
        var reasons = new Dictionary<MethodDefinitionHandle, string>();
        var callers = new Dictionary<MethodDefinitionHandle, List<MethodDefinitionHandle>>();
        foreach (var (method, calls) in torchSharp.MethodBodies())
        {
            string? made = null;
            var disposes = false;
            foreach (var call in calls)
            {
                var (type, name) = torchSharp.TargetName(call);
                if ((type, name) is ("TorchSharp.Scalar", "op_Implicit"))
                {
                    made ??= "an implicit conversion to Scalar";
                }
                else if (type == "TorchSharp.ScalarExtensionMethods" && name.StartsWith("To", StringComparison.Ordinal) && name.EndsWith("Scalar", StringComparison.Ordinal))
                {
                    made ??= name;
                }
                else if ((type, name) is ("TorchSharp.torch/Tensor", "ToScalar"))
                {
                    // Tensor.ToScalar hands its caller a new Scalar; a caller that drops it (ToDouble, ToSingle, ...)
                    // leaves it to the finalizer.
                    made ??= "Tensor.ToScalar";
                }
                else if (name == "Dispose" && type is "TorchSharp.Scalar" or "System.IDisposable")
                {
                    disposes = true;
                }

                if (torchSharp.Resolve(call) is { } callee)
                {
                    (callers.TryGetValue(callee, out var list) ? list : callers[callee] = []).Add(method);
                }
            }

            if (made is not null && !disposes)
            {
                reasons[method] = $"makes a Scalar by {made} and drops it while libtorch may still read it";
            }
        }

        // Callers of a maker are makers too: the Scalar is made inside their call.
        var pending = new Queue<MethodDefinitionHandle>(reasons.Keys);
        while (pending.TryDequeue(out var maker))
        {
            foreach (var caller in callers.GetValueOrDefault(maker) ?? [])
            {
                if (reasons.TryAdd(caller, $"calls {torchSharp.Key(maker)}, which {reasons[maker]}"))
                {
                    pending.Enqueue(caller);
                }
            }
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (method, reason) in reasons)
        {
            result.TryAdd(torchSharp.Key(method), reason);
        }

        return result;
    }

    /// <summary>Every call from <paramref name="libraryPath"/> to a member in <paramref name="forbidden"/>: the calling method and the member's hazard.</summary>
    public static List<string> CallsTo(string libraryPath, IReadOnlyDictionary<string, string> forbidden)
    {
        using var library = new Assembly(libraryPath);
        var findings = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (method, calls) in library.MethodBodies())
        {
            foreach (var call in calls)
            {
                if (library.ReferenceKey(call) is { } key && forbidden.TryGetValue(key, out var reason))
                {
                    findings.Add($"{library.Describe(method)} calls {key}: it {reason}");
                }
            }
        }

        return findings.ToList();
    }

    /// <summary>An assembly's metadata and IL, with method signatures written out so that two assemblies can be matched.</summary>
    private sealed class Assembly : IDisposable
    {
        private static readonly Dictionary<ushort, OpCode> OpCodesByValue = typeof(OpCodes).GetFields()
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToDictionary(o => unchecked((ushort)o.Value));

        private readonly PEReader _pe;
        private readonly MetadataReader _metadata;
        private Dictionary<string, MethodDefinitionHandle>? _byKey;

        public Assembly(string path)
        {
            _pe = new PEReader(new MemoryStream(File.ReadAllBytes(path)));
            _metadata = _pe.GetMetadataReader();
        }

        public void Dispose() => _pe.Dispose();

        /// <summary>Every method with a body, and the call, callvirt and newobj targets in it.</summary>
        public IEnumerable<(MethodDefinitionHandle Method, List<EntityHandle> Calls)> MethodBodies()
        {
            foreach (var typeHandle in _metadata.TypeDefinitions)
            {
                foreach (var methodHandle in _metadata.GetTypeDefinition(typeHandle).GetMethods())
                {
                    var method = _metadata.GetMethodDefinition(methodHandle);
                    if (method.RelativeVirtualAddress != 0)
                    {
                        yield return (methodHandle, Calls(_pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes()!));
                    }
                }
            }
        }

        /// <summary>The declaring type and name of a call target.</summary>
        public (string Type, string Name) TargetName(EntityHandle target) => target.Kind switch
        {
            HandleKind.MethodDefinition => Name((MethodDefinitionHandle)target),
            HandleKind.MemberReference => (WithoutTypeArguments(TypeName(_metadata.GetMemberReference((MemberReferenceHandle)target).Parent)), _metadata.GetString(_metadata.GetMemberReference((MemberReferenceHandle)target).Name)),
            HandleKind.MethodSpecification => TargetName(_metadata.GetMethodSpecification((MethodSpecificationHandle)target).Method),
            _ => (string.Empty, string.Empty),
        };

        /// <summary>The method of this assembly a call target names, if it is one.</summary>
        public MethodDefinitionHandle? Resolve(EntityHandle target)
        {
            switch (target.Kind)
            {
                case HandleKind.MethodDefinition:
                    return (MethodDefinitionHandle)target;
                case HandleKind.MethodSpecification:
                    return Resolve(_metadata.GetMethodSpecification((MethodSpecificationHandle)target).Method);
                case HandleKind.MemberReference:
                    // Members of generic instantiations of this assembly's own types.
                    var member = _metadata.GetMemberReference((MemberReferenceHandle)target);
                    if (member.Parent.Kind != HandleKind.TypeSpecification || member.GetKind() != MemberReferenceKind.Method)
                    {
                        return null;
                    }

                    _byKey ??= _metadata.TypeDefinitions
                        .SelectMany(t => _metadata.GetTypeDefinition(t).GetMethods())
                        .GroupBy(Key)
                        .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
                    return _byKey.TryGetValue(Key(member), out var method) ? method : null;
                default:
                    return null;
            }
        }

        /// <summary>Declaring type, name and parameter types of a method of this assembly.</summary>
        public string Key(MethodDefinitionHandle handle)
        {
            var method = _metadata.GetMethodDefinition(handle);
            var signature = method.DecodeSignature(new TypeNames(this), null);
            return $"{TypeName(method.GetDeclaringType())}::{_metadata.GetString(method.Name)}({string.Join(",", signature.ParameterTypes)})";
        }

        /// <summary>The key of a call target in another assembly (TorchSharp's), in the form <see cref="Key(MethodDefinitionHandle)"/> gives it there.</summary>
        public string? ReferenceKey(EntityHandle target)
        {
            if (target.Kind == HandleKind.MethodSpecification)
            {
                target = _metadata.GetMethodSpecification((MethodSpecificationHandle)target).Method;
            }

            if (target.Kind != HandleKind.MemberReference)
            {
                return null;
            }

            var member = _metadata.GetMemberReference((MemberReferenceHandle)target);
            return member.GetKind() == MemberReferenceKind.Method && TypeName(member.Parent).StartsWith("TorchSharp", StringComparison.Ordinal) ? Key(member) : null;
        }

        public string Describe(MethodDefinitionHandle handle)
        {
            var (type, name) = Name(handle);
            return $"{type}.{name}";
        }

        private static string WithoutTypeArguments(string name) => name.IndexOf('<', StringComparison.Ordinal) is var at and >= 0 ? name[..at] : name;

        private static List<EntityHandle> Calls(byte[] il)
        {
            var calls = new List<EntityHandle>();
            for (var i = 0; i < il.Length;)
            {
                ushort value = il[i++];
                if (value == 0xFE)
                {
                    value = (ushort)(0xFE00 | il[i++]);
                }

                var op = OpCodesByValue[value];
                if (op.OperandType == OperandType.InlineMethod)
                {
                    calls.Add(MetadataTokens.EntityHandle(BitConverter.ToInt32(il, i)));
                }

                i += op.OperandType switch
                {
                    OperandType.InlineNone => 0,
                    OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                    OperandType.InlineVar => 2,
                    OperandType.InlineI8 or OperandType.InlineR => 8,
                    OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, i)),
                    _ => 4,
                };
            }

            return calls;
        }

        private (string Type, string Name) Name(MethodDefinitionHandle handle)
        {
            var method = _metadata.GetMethodDefinition(handle);
            return (TypeName(method.GetDeclaringType()), _metadata.GetString(method.Name));
        }

        private string Key(MemberReference member)
        {
            var signature = member.DecodeMethodSignature(new TypeNames(this), null);
            return $"{WithoutTypeArguments(TypeName(member.Parent))}::{_metadata.GetString(member.Name)}({string.Join(",", signature.ParameterTypes)})";
        }

        private string TypeName(EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    var definition = _metadata.GetTypeDefinition((TypeDefinitionHandle)handle);
                    var name = _metadata.GetString(definition.Name);
                    return definition.GetDeclaringType() is { IsNil: false } declaring
                        ? $"{TypeName(declaring)}/{name}"
                        : Qualified(_metadata.GetString(definition.Namespace), name);
                case HandleKind.TypeReference:
                    var reference = _metadata.GetTypeReference((TypeReferenceHandle)handle);
                    var referenceName = _metadata.GetString(reference.Name);
                    return reference.ResolutionScope.Kind == HandleKind.TypeReference
                        ? $"{TypeName((EntityHandle)reference.ResolutionScope)}/{referenceName}"
                        : Qualified(_metadata.GetString(reference.Namespace), referenceName);
                case HandleKind.TypeSpecification:
                    return _metadata.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(new TypeNames(this), null);
                default:
                    return "?";
            }
        }

        private static string Qualified(string space, string name) => space.Length > 0 ? $"{space}.{name}" : name;

        /// <summary>Type names as they read in both assemblies, so that a signature has the same key in each.</summary>
        private sealed class TypeNames(Assembly assembly) : ISignatureTypeProvider<string, object?>
        {
            public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";

            public string GetByReferenceType(string elementType) => elementType + "&";

            public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";

            public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => $"{genericType}<{string.Join(",", typeArguments)}>";

            public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

            public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

            public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

            public string GetPinnedType(string elementType) => elementType;

            public string GetPointerType(string elementType) => elementType + "*";

            public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

            public string GetSZArrayType(string elementType) => elementType + "[]";

            public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => assembly.TypeName(handle);

            public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => assembly.TypeName(handle);

            public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) => assembly.TypeName(handle);
        }
    }
}
