using System.Diagnostics.CodeAnalysis;

// Test names follow Method_Condition_Expectation, which needs underscores.
[assembly: SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "Test naming convention.", Scope = "namespaceanddescendants", Target = "~N:DSpib.Core.Tests.Data")]
