using System.Text.Json;
using DSpib.Diffusion;
using DSpib.Networks;
using DSpib.Persistence;
using DSpib.Spib;

namespace DSpib;

/// <summary>Converts a model's options to their stored description and back.</summary>
internal static class ModelSettings
{
    /// <summary>The stored description of <paramref name="options"/> for a network with <paramref name="inputDimension"/> inputs.</summary>
    public static ModelDescription Describe(ModelOptions options, int inputDimension) => new(
        inputDimension,
        options.LatentDimension,
        new EncoderDescription(options.Encoder.HiddenLayers.ToArray(), options.Encoder.Activation, options.Encoder.InputDependentVariance),
        new DecoderDescription(options.DecoderHiddenLayers.ToArray(), options.DecoderActivation),
        options.Prior,
        options.Seed,
        options.Diffusion is null ? null : Describe(options.Diffusion.Sde),
        options.Diffusion is null ? null : Describe(options.Diffusion.ScoreNet));

    /// <summary>
    /// The options a description stands for, validated as a builder validates them; a description that does not pass,
    /// or does not describe itself again, is corruption.
    /// </summary>
    /// <param name="description">The stored settings.</param>
    /// <param name="temperatureLaw">The law to use when the stored one is custom.</param>
    /// <param name="container">The file, for messages.</param>
    public static ModelOptions ToOptions(ModelDescription description, TemperatureLaw? temperatureLaw, VerifiedContainer container)
    {
        ModelOptions options;
        try
        {
            var encoder = description.Encoder;
            var decoder = description.Decoder;
            options = new ModelOptions
            {
                InputDimension = description.InputDimension,
                LatentDimension = description.LatentDimension,
                Encoder = new EncoderOptions { HiddenLayers = encoder.HiddenLayers, Activation = encoder.Activation, InputDependentVariance = encoder.InputDependentVariance },
                DecoderHiddenLayers = decoder.HiddenLayers,
                DecoderActivation = decoder.Activation,
                Seed = description.Seed,
                Diffusion = description.Prior switch
                {
                    LatentPrior.VampPrior when description.Sde is null && description.ScoreNet is null => null,
                    LatentPrior.Diffusion when description.Sde is not null && description.ScoreNet is not null =>
                        new DiffusionPriorOptions { Sde = CreateSde(description.Sde, temperatureLaw, container), ScoreNet = CreateScoreNet(description.ScoreNet) },
                    _ => throw container.Invalid($"its model settings name the prior {description.Prior} with{(description.Sde is null ? "out" : string.Empty)} diffusion settings."),
                },
            };
            options.Validate();
        }
        catch (ArgumentException e) when (e.ParamName != nameof(temperatureLaw))
        {
            throw container.Invalid($"its model settings are not valid ({e.Message}).", e);
        }

        if (Difference(description, Describe(options, description.InputDimension)) is { } path)
        {
            throw container.Invalid($"its model settings are not consistent (at '{path}').");
        }

        return options;
    }

    /// <summary>The path of the first setting in which two descriptions differ, or <see langword="null"/> when they agree.</summary>
    public static string? Difference(ModelDescription expected, ModelDescription actual) =>
        JsonDocuments.Difference(JsonSerializer.SerializeToElement(expected, ModelJson.Default.ModelDescription), JsonSerializer.SerializeToElement(actual, ModelJson.Default.ModelDescription), "model");

    private static SdeDescription Describe(VpSde sde) => new(
        sde.IsDiscrete ? "discrete" : "continuous",
        sde.IsDiscrete ? null : sde.BetaMin,
        sde.IsDiscrete ? null : sde.BetaMax,
        sde.IsDiscrete ? null : sde.SmallestTime,
        sde.IsDiscrete ? sde.Steps : null,
        sde.IsDiscrete ? sde.BetaStart : null,
        sde.IsDiscrete ? sde.BetaEnd : null,
        new TemperatureLawDescription(sde.TemperatureLaw.Name, IsBuiltIn(sde.TemperatureLaw)),
        sde.ReferenceTemperature);

    private static ScoreNetDescription Describe(ScoreNet scoreNet)
    {
        var embedding = scoreNet.TemperatureEmbedding;
        return new ScoreNetDescription(
            scoreNet.HiddenLayers.ToArray(),
            scoreNet.Activation,
            scoreNet.Residual,
            scoreNet.TimeEmbeddingDimension,
            scoreNet.TimeEmbeddingScale,
            scoreNet.Seed,
            new TemperatureEmbeddingDescription(embedding.Kind, embedding.Dimension, embedding.Scale, embedding.Input, embedding.Seed, embedding.Activation));
    }

    private static bool IsBuiltIn(TemperatureLaw law) => ReferenceEquals(law, TemperatureLaw.Linear) || ReferenceEquals(law, TemperatureLaw.SquareRoot);

    private static VpSde CreateSde(SdeDescription description, TemperatureLaw? temperatureLaw, VerifiedContainer container)
    {
        var builder = VpSde.Create();
        builder = description.Form switch
        {
            "discrete" when description is { Steps: int steps, BetaStart: double start, BetaEnd: double end } => builder.Discrete(steps, start, end),
            "continuous" when description is { BetaMin: double min, BetaMax: double max, SmallestTime: double smallest } => builder.Continuous(min, max, smallest),
            _ => throw container.Invalid($"its VP-SDE of form '{description.Form}' lacks its parameters."),
        };
        builder = builder.WithTemperatureLaw(ResolveLaw(description.TemperatureLaw, temperatureLaw, container));
        return (description.ReferenceTemperature is double reference ? builder.WithReferenceTemperature(reference) : builder).Build();
    }

    private static TemperatureLaw ResolveLaw(TemperatureLawDescription stored, TemperatureLaw? temperatureLaw, VerifiedContainer container)
    {
        if (stored.BuiltIn)
        {
            var builtIn = stored.Name switch
            {
                "linear" => TemperatureLaw.Linear,
                "sqrt" => TemperatureLaw.SquareRoot,
                _ => throw container.Invalid($"it names an unknown built-in temperature law '{stored.Name}'."),
            };
            if (temperatureLaw is not null && !ReferenceEquals(temperatureLaw, builtIn))
            {
                throw new ArgumentException($"The model uses the built-in temperature law '{stored.Name}'; pass a temperature law only to load a model with a custom one.", nameof(temperatureLaw));
            }

            return builtIn;
        }

        if (temperatureLaw is null)
        {
            throw new ModelFileException(
                $"{container.What} uses the custom temperature law '{stored.Name}', whose function cannot be stored in a file. Pass it when loading: DSpibModel.Load(path, temperatureLaw: TemperatureLaw.Custom(\"{stored.Name}\", ratio => ...)).",
                ModelFileError.MissingTemperatureLaw);
        }

        if (IsBuiltIn(temperatureLaw))
        {
            throw new ArgumentException($"The model uses a custom temperature law named '{stored.Name}'; pass that custom law, not the built-in '{temperatureLaw.Name}'.", nameof(temperatureLaw));
        }

        if (temperatureLaw.Name != stored.Name)
        {
            throw new ArgumentException($"The model uses the custom temperature law '{stored.Name}' but the law passed is named '{temperatureLaw.Name}'; pass the law the model was trained with.", nameof(temperatureLaw));
        }

        return temperatureLaw;
    }

    private static ScoreNet CreateScoreNet(ScoreNetDescription description)
    {
        var stored = description.TemperatureEmbedding;
        var embedding = stored.Kind == TemperatureEmbeddingKind.None
            ? TemperatureEmbedding.None
            : TemperatureEmbedding.None with { Kind = stored.Kind, Dimension = stored.Dimension, Scale = stored.Scale, Input = stored.Input, Seed = stored.Seed, Activation = stored.Activation };
        return ScoreNet.Create()
            .WithHiddenLayers(description.HiddenLayers)
            .WithActivation(description.Activation)
            .WithResiduals(description.Residual)
            .WithTimeEmbedding(description.TimeEmbeddingDimension, description.TimeEmbeddingScale)
            .WithTemperatureEmbedding(embedding)
            .WithSeed(description.Seed)
            .Build();
    }
}
