using System.Text.Json;
using DSpib.Devices;
using DSpib.Diffusion;
using DSpib.Spib;

namespace DSpib.Persistence;

/// <summary>Converts a model's builder settings to their stored description and back, through the public builders.</summary>
internal static class ModelSettings
{
    public static ModelDescription Describe(ModelConfiguration configuration) => new(
        configuration.InputDimension,
        configuration.LatentDimension,
        new EncoderDescription(configuration.Encoder.HiddenLayers.ToArray(), configuration.Encoder.Activation, configuration.Encoder.InputDependentVariance),
        new DecoderDescription(configuration.DecoderHiddenLayers.ToArray(), configuration.DecoderActivation),
        configuration.Prior,
        configuration.Seed,
        configuration.Sde is null ? null : Describe(configuration.Sde),
        configuration.ScoreNet is null ? null : Describe(configuration.ScoreNet));

    /// <summary>
    /// An untrained model with the described settings on <paramref name="backend"/>. The builders validate every value;
    /// a description they reject, or one that does not describe itself again, is corruption.
    /// </summary>
    /// <param name="description">The stored settings.</param>
    /// <param name="backend">Where the model will live.</param>
    /// <param name="temperatureLaw">The law to use when the stored one is custom.</param>
    /// <param name="container">The file, for messages.</param>
    public static DSpibModel CreateModel(ModelDescription description, DeviceBackend backend, TemperatureLaw? temperatureLaw, VerifiedContainer container)
    {
        DSpibModel model;
        try
        {
            var builder = DSpibModel.Create().WithInputDimension(description.InputDimension).WithLatentDimension(description.LatentDimension);
            var encoder = description.Encoder;
            builder = encoder.HiddenLayers.Length == 0
                ? builder.WithLinearEncoder(encoder.InputDependentVariance)
                : builder.WithMlpEncoder(encoder.HiddenLayers, encoder.Activation, encoder.InputDependentVariance);
            builder = builder.WithDecoder(description.Decoder.HiddenLayers).WithDecoderActivation(description.Decoder.Activation);
            builder = description.Prior switch
            {
                LatentPrior.VampPrior when description.Sde is null && description.ScoreNet is null => builder.AsSpibBaseline(),
                LatentPrior.Diffusion when description.Sde is not null && description.ScoreNet is not null =>
                    builder.WithDiffusionPrior(CreateSde(description.Sde, temperatureLaw, container), CreateScoreNet(description.ScoreNet)),
                _ => throw container.Invalid($"its model settings name the prior {description.Prior} with{(description.Sde is null ? "out" : string.Empty)} diffusion settings."),
            };
            model = builder.WithSeed(description.Seed).OnDevice(backend).Build();
        }
        catch (ArgumentException e) when (e.ParamName != nameof(temperatureLaw))
        {
            throw container.Invalid($"its model settings are not valid ({e.Message}).", e);
        }

        if (Difference(description, Describe(model.Configuration)) is { } path)
        {
            model.Dispose();
            throw container.Invalid($"its model settings are not consistent (at '{path}').");
        }

        return model;
    }

    /// <summary>The path of the first setting in which two descriptions differ, or <see langword="null"/> when they agree.</summary>
    public static string? Difference(ModelDescription expected, ModelDescription actual) =>
        ManifestJson.Difference(JsonSerializer.SerializeToElement(expected, ManifestJson.Default.ModelDescription), JsonSerializer.SerializeToElement(actual, ManifestJson.Default.ModelDescription), "model");

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
        if (!Enum.IsDefined(stored.Input))
        {
            throw new ArgumentOutOfRangeException(nameof(description), stored.Input, "Unknown temperature input.");
        }

        var embedding = stored.Kind switch
        {
            TemperatureEmbeddingKind.None => TemperatureEmbedding.None,
            TemperatureEmbeddingKind.Fourier => TemperatureEmbedding.Fourier(stored.Dimension, stored.Scale, stored.Seed) with { Input = stored.Input, Activation = stored.Activation },
            TemperatureEmbeddingKind.Learned => TemperatureEmbedding.Learned(stored.Dimension) with { Input = stored.Input, Activation = stored.Activation },
            _ => throw new ArgumentOutOfRangeException(nameof(description), stored.Kind, "Unknown temperature embedding."),
        };
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
