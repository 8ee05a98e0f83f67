using System.Reflection;

namespace DSpib.Core.Tests.SourceRules;

/// <summary>
/// Which of an assembly's namespaces use which others: a type uses another when it derives from it, implements it,
/// has a field, property, parameter or return of it, or names it or one of its members in a method body.
/// </summary>
internal static class NamespaceDependencies
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>Every (using namespace, used namespace) pair within <paramref name="assembly"/>, with one example of each.</summary>
    public static Dictionary<(string From, string To), string> Of(Assembly assembly)
    {
        var result = new Dictionary<(string, string), string>();
        foreach (var type in assembly.GetTypes())
        {
            var from = NamespaceOf(type);
            foreach (var (used, via) in UsedTypes(type))
            {
                if (used.Assembly == assembly && NamespaceOf(used) is var to && to != from)
                {
                    result.TryAdd((from, to), $"{type.FullName} uses {used.FullName} ({via})");
                }
            }
        }

        return result;
    }

    private static string NamespaceOf(Type type)
    {
        while (type.DeclaringType is { } declaring)
        {
            type = declaring;
        }

        return type.Namespace ?? string.Empty;
    }

    private static IEnumerable<(Type Type, string Via)> UsedTypes(Type type)
    {
        if (type.BaseType is { } baseType)
        {
            foreach (var t in Expand(baseType))
            {
                yield return (t, "base type");
            }
        }

        foreach (var implemented in type.GetInterfaces())
        {
            foreach (var t in Expand(implemented))
            {
                yield return (t, "interface");
            }
        }

        foreach (var field in type.GetFields(Declared))
        {
            foreach (var t in Expand(field.FieldType))
            {
                yield return (t, $"field {field.Name}");
            }
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            var signature = method.GetParameters().Select(p => p.ParameterType).Concat(method is MethodInfo m ? [m.ReturnType] : []);
            foreach (var t in signature.SelectMany(Expand))
            {
                yield return (t, $"signature of {method.Name}");
            }

            foreach (var used in BodyReferences(method))
            {
                foreach (var t in Expand(used))
                {
                    yield return (t, $"body of {method.Name}");
                }
            }
        }
    }

    /// <summary>The types named in a method body's IL: of its calls, field accesses, casts, allocations and tokens.</summary>
    private static IEnumerable<Type> BodyReferences(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (BadImageFormatException)
        {
            il = null;
        }

        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        foreach (var token in IlTokens.Of(il))
        {
            MemberInfo? member;
            try
            {
                member = method.Module.ResolveMember(token, typeArguments, methodArguments);
            }
            catch (ArgumentException)
            {
                continue;
            }

            switch (member)
            {
                case Type t:
                    yield return t;
                    break;
                case MethodBase m when m.DeclaringType is { } owner:
                    yield return owner;
                    foreach (var p in m.GetParameters())
                    {
                        yield return p.ParameterType;
                    }

                    if (m is MethodInfo { ReturnType: var returned })
                    {
                        yield return returned;
                    }

                    break;
                case FieldInfo f when f.DeclaringType is { } owner:
                    yield return owner;
                    yield return f.FieldType;
                    break;
            }
        }
    }

    private static IEnumerable<Type> Expand(Type type)
    {
        if (type.HasElementType)
        {
            foreach (var t in Expand(type.GetElementType()!))
            {
                yield return t;
            }

            yield break;
        }

        if (type.IsGenericParameter)
        {
            yield break;
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            yield return type.GetGenericTypeDefinition();
            foreach (var t in type.GetGenericArguments().SelectMany(Expand))
            {
                yield return t;
            }

            yield break;
        }

        yield return type;
    }
}
