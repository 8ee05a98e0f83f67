using System.Reflection.Emit;

namespace DSpib.Core.Tests.SourceRules;

/// <summary>The metadata tokens in a method body's IL (operands of calls, field accesses, type and member tokens).</summary>
internal static class IlTokens
{
    private static readonly Dictionary<ushort, OpCode> OpCodesByValue = typeof(OpCodes).GetFields()
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => unchecked((ushort)o.Value));

    public static IEnumerable<int> Of(byte[] il)
    {
        for (var i = 0; i < il.Length;)
        {
            ushort value = il[i++];
            if (value == 0xFE)
            {
                value = (ushort)(0xFE00 | il[i++]);
            }

            var op = OpCodesByValue[value];
            if (op.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                yield return BitConverter.ToInt32(il, i);
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
    }
}
