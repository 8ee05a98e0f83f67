using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using DSpib.Devices;
using DSpib.Persistence;
using DSpib.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Core.Tests.Fuzzing;

/// <summary>
/// Fuzz targets for model files and training checkpoints. Besides the byte-level mutations (which the checksums
/// refuse), one case in five is resealed: an entry is changed and the manifest's checksum of it, and the manifest's own
/// checksum, are made to match, so the mutation reaches the decoding of the tensors behind the checksums. A read is
/// correct when what was loaded writes back to the entries the input holds.
/// </summary>
internal static class ModelFuzzTargets
{
    private static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// <see cref="DSpibModel.Load(Stream, DeviceBackend?, DSpib.Diffusion.TemperatureLaw?, Microsoft.Extensions.Logging.ILogger?)"/>; a loaded model is saved again
    /// and its entries must equal the input's (the manifest compared as JSON, since resealing rewrites it).
    /// </summary>
    /// <param name="seeds">Model files as the library saves them.</param>
    /// <param name="resealManifest">Whether resealing may also change the manifest (its settings are then decoded too).</param>
    public static FuzzTarget ModelFile(IReadOnlyList<byte[]> seeds, bool resealManifest)
    {
        var target = new FuzzTarget
        {
            Name = "model file",
            Seeds = seeds,
            DocumentedException = typeof(ModelFileException),
            SizeFields = ZipLayout.SizeFields,
            Custom = (random, seed) => Reseal(random, seed, resealManifest),
            ReadAndCheck = (bytes, _) =>
            {
                using var model = DSpibModel.Load(new MemoryStream(bytes));
                using var saved = new MemoryStream();
                model.Save(saved);
                ExpectSameEntries(RawEntries(saved.ToArray()), bytes, seeds);
            },
            AllocationBudget = _ => 0,
        };
        return WithMeasuredBudget(target);
    }

    /// <summary>
    /// A checkpoint read as <c>Trainer.Resume</c> reads it: the file, the network, the pair labels and the random
    /// generators; then every entry it lists decoded as tensors. What was read must write back to the input's entries.
    /// </summary>
    /// <param name="seeds">Checkpoints as the trainer writes them.</param>
    /// <param name="model">A model built with the settings of the run that wrote them.</param>
    /// <param name="folder">A folder for the file the checkpoint reader needs.</param>
    public static FuzzTarget Checkpoint(IReadOnlyList<byte[]> seeds, DSpibModel model, string folder)
    {
        var path = Path.Combine(folder, "fuzz.checkpoint");
        var target = new FuzzTarget
        {
            Name = "checkpoint",
            Seeds = seeds,
            DocumentedException = typeof(ModelFileException),
            SizeFields = ZipLayout.SizeFields,
            Custom = (random, seed) => Reseal(random, seed, resealManifest: false),
            ReadAndCheck = (bytes, _) =>
            {
                File.WriteAllBytes(path, bytes);
                var checkpoint = TrainingCheckpoint.Read(path);
                var entries = Candidates(bytes, seeds);
                var container = Container.Read(new MemoryStream(bytes), "The checkpoint", FileFormat.Checkpoint);
                var manifest = JsonDocuments.Parse(container, CheckpointJson.Default.CheckpointManifest);
                container.VerifyEntries(manifest.Entries);
                using (var network = checkpoint.CreateNetwork(model.Options, model.Backend))
                {
                    foreach (var (name, written) in NetworkEntries.Write(network))
                    {
                        Expect(entries, name, written, "the network");
                    }

                    using var labels = checkpoint.PairLabels(checkpoint.Run.Data.Pairs, network.StateCount, CPU);
                    Expect(entries, "training/labels.bin", TensorEntries.Write(new Dictionary<string, Tensor> { ["labels"] = labels }), "the pair labels");

                    // The optimizer of the phase the run was in, and (in the joint phase, with averaging) the score average.
                    using var optimizer = new FlatAdam(checkpoint.Run.Phase == TrainingPhase.Joint ? network.JointParameters() : network.Parameters(), 1e-3);
                    checkpoint.RestoreOptimizer(optimizer);
                    var (firstMoment, secondMoment, _) = optimizer.SaveState();
                    using (firstMoment)
                    using (secondMoment)
                    {
                        Expect(entries, "training/optimizer.bin", TensorEntries.Write(new Dictionary<string, Tensor> { ["first_moment"] = firstMoment, ["second_moment"] = secondMoment }), "the optimizer");
                    }
                    if (network.Diffusion is not null && manifest.Entries.ContainsKey("training/score-average.bin"))
                    {
                        using var average = new ParameterAverage(network.Diffusion.parameters(), 0.9);
                        checkpoint.RestoreScoreAverage(average);
                        using var updates = tensor(new[] { average.Updates });
                        Expect(entries, "training/score-average.bin", TensorEntries.Write(new Dictionary<string, Tensor> { ["average"] = average.Average, ["updates"] = updates }), "the score average");
                    }
                }

                // Every listed entry decodes to what it holds.
                foreach (var name in manifest.Entries.Keys)
                {
                    var tensors = TensorEntries.Read(container, name);
                    try
                    {
                        Expect(entries, name, TensorEntries.Write(tensors), "its tensors");
                        if (name == "training/generators.bin")
                        {
                            ExpectRestoredGenerators(checkpoint, tensors);
                        }
                    }
                    finally
                    {
                        foreach (var tensor in tensors.Values)
                        {
                            tensor.Dispose();
                        }
                    }
                }
            },
            AllocationBudget = _ => 0,
        };
        return WithMeasuredBudget(target);
    }

    /// <summary>
    /// The budget of a model target: twice what reading its largest seed allocates (building the network, writing it
    /// back), plus 16 bytes per input byte (the file and its inflated entries held a few times). A hostile file may
    /// cost no more than a genuine one of its size.
    /// </summary>
    private static FuzzTarget WithMeasuredBudget(FuzzTarget target)
    {
        long genuine = 0;
        foreach (var seed in target.Seeds)
        {
            target.ReadAndCheck(seed, -1);
            var before = GC.GetAllocatedBytesForCurrentThread();
            target.ReadAndCheck(seed, -1);
            genuine = Math.Max(genuine, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return new FuzzTarget
        {
            Name = target.Name,
            Seeds = target.Seeds,
            DocumentedException = target.DocumentedException,
            SizeFields = target.SizeFields,
            Custom = target.Custom,
            ReadAndCheck = target.ReadAndCheck,
            AllocationBudget = length => (2 * genuine) + (16L * length),
        };
    }

    /// <summary>
    /// The generators restored from the checkpoint are those libtorch makes of the stored states, each in its place.
    /// (libtorch keeps only part of a state, so a changed state does not always come back as it was stored.)
    /// </summary>
    private static void ExpectRestoredGenerators(TrainingCheckpoint checkpoint, Dictionary<string, Tensor> stored)
    {
        using var initialisation = new Generator(0);
        using var training = new Generator(0);
        checkpoint.RestoreGenerators(initialisation, training);
        foreach (var (name, restored) in new[] { ("initialisation", initialisation), ("training", training) })
        {
            using var direct = new Generator(0);
            direct.set_state(stored[name]);
            using var expected = direct.get_state();
            using var actual = restored.get_state();
            if (!expected.data<byte>().ToArray().AsSpan().SequenceEqual(actual.data<byte>().ToArray()))
            {
                throw new IncorrectReadException($"the {name} generator is not the one its stored state gives.");
            }
        }
    }

    private static void Expect(List<Dictionary<string, byte[]>> candidates, string name, byte[] written, string what)
    {
        if (!candidates.Any(entries => entries.TryGetValue(name, out var stored) && stored.AsSpan().SequenceEqual(written)))
        {
            var stored = candidates[0].GetValueOrDefault(name) ?? [];
            var at = stored.AsSpan().CommonPrefixLength(written);
            throw new IncorrectReadException($"{what} did not write back to the entry '{name}' that was read: {written.Length} bytes written for {stored.Length} stored, first difference at byte {at}.");
        }
    }

    /// <summary>The saved entries must be the input's, or (for an accepted byte-level mutation) a seed's.</summary>
    private static void ExpectSameEntries(Dictionary<string, byte[]> saved, byte[] input, IReadOnlyList<byte[]> seeds)
    {
        if (!Candidates(input, seeds).Any(candidate => SameEntries(saved, candidate)))
        {
            throw new IncorrectReadException("the loaded model, saved again, does not give the entries the input holds.");
        }
    }

    /// <summary>
    /// What an accepted input can hold: its own entries (a resealed input) or, for a byte-level mutation that only
    /// touched bytes the reader does not use, a seed's (the plain zip reader may not read such an input at all).
    /// </summary>
    private static List<Dictionary<string, byte[]>> Candidates(byte[] input, IReadOnlyList<byte[]> seeds)
    {
        var candidates = seeds.Select(RawEntries).ToList();
        try
        {
            candidates.Insert(0, RawEntries(input));
        }
        catch (InvalidDataException)
        {
            // Only a seed can match.
        }

        return candidates;
    }

    private static bool SameEntries(Dictionary<string, byte[]> saved, Dictionary<string, byte[]> expected) =>
        saved.Keys.Order().SequenceEqual(expected.Keys.Order())
        && saved.All(e => e.Key switch
        {
            Container.ManifestChecksumEntry => true,
            Container.ManifestEntry => JsonNode.DeepEquals(JsonNode.Parse(e.Value), JsonNode.Parse(expected[e.Key])),
            _ => e.Value.AsSpan().SequenceEqual(expected[e.Key]),
        });

    /// <summary>The entries of a zip read without any check, in order (the last of a repeated name wins).</summary>
    private static Dictionary<string, byte[]> RawEntries(byte[] zip)
    {
        try
        {
            using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
            var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var entry in archive.Entries)
            {
                using var stream = entry.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                entries[entry.FullName] = copy.ToArray();
            }

            return entries;
        }
        catch (Exception e) when (e is IOException or NotSupportedException or ArgumentException)
        {
            throw new InvalidDataException("Not a readable zip.", e);
        }
    }

    /// <summary>
    /// The seed with one entry changed and every checksum made to match: a weights or training entry (or, if allowed,
    /// the manifest) mutated at byte level or in one of its tensor-format size fields (entry count, name length, element
    /// type, rank, a dimension), then the manifest's SHA-256 of it and the manifest's own checksum rewritten.
    /// </summary>
    private static byte[]? Reseal(Random random, byte[] seed, bool resealManifest)
    {
        var entries = RawEntries(seed).ToList();
        var candidates = entries.Where(e => e.Key != Container.ManifestChecksumEntry && (resealManifest || e.Key != Container.ManifestEntry)).ToList();
        var (name, bytes) = candidates[random.Next(candidates.Count)];
        var donors = entries.Select(e => e.Value).ToList();
        byte[] mutated;
        if (name == Container.ManifestEntry)
        {
            mutated = Mutator.Apply(random.Next(2) == 0 ? MutationKind.Number : (MutationKind)random.Next((int)MutationKind.SizeField), random, bytes, donors, null);
        }
        else if (random.Next(2) == 0 && TensorLayout.Varints(bytes) is { Count: > 0 } fields)
        {
            var (offset, length) = fields[random.Next(fields.Count)];
            long[] extremes = [0, 1, 2, -1, 7, 255, 1 << 20, int.MaxValue, 1L << 32, 1L << 40, long.MaxValue, long.MinValue];
            var value = extremes[random.Next(extremes.Length)];
            mutated = [.. bytes.AsSpan(0, offset), .. TensorLayout.Encode(value), .. bytes.AsSpan(offset + length)];
        }
        else
        {
            mutated = Mutator.Apply((MutationKind)random.Next((int)MutationKind.SizeField), random, bytes, donors, null);
        }

        return ReplaceEntry(seed, name, mutated);
    }

    /// <summary>
    /// The file with the entry <paramref name="name"/> replaced by <paramref name="content"/> and every checksum made to
    /// match: the manifest's SHA-256 of the entry (unless the entry is the manifest) and the manifest's own checksum.
    /// </summary>
    public static byte[] ReplaceEntry(byte[] file, string name, byte[] content)
    {
        var entries = RawEntries(file);
        var manifest = name == Container.ManifestEntry ? content : entries[Container.ManifestEntry];
        if (name != Container.ManifestEntry)
        {
            var text = Encoding.UTF8.GetString(manifest);
            manifest = Encoding.UTF8.GetBytes(text.Replace(Convert.ToHexStringLower(SHA256.HashData(entries[name])), Convert.ToHexStringLower(SHA256.HashData(content)), StringComparison.Ordinal));
        }

        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (entryName, entryBytes) in entries)
            {
                var bytes = entryName == name ? content
                    : entryName == Container.ManifestEntry ? manifest
                    : entryName == Container.ManifestChecksumEntry ? Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(manifest)))
                    : entryBytes;
                var entry = archive.CreateEntry(entryName, CompressionLevel.Fastest);
                entry.LastWriteTime = EntryTime;
                using var data = entry.Open();
                data.Write(bytes);
            }
        }

        return stream.ToArray();
    }

    /// <summary>
    /// The layout of TorchSharp's state-dictionary format (an entry count; per tensor a name, an element type, a rank,
    /// the dimensions, the raw elements; every number 7-bit encoded), as the positions of its numbers.
    /// </summary>
    private static class TensorLayout
    {
        /// <summary>(offset, length) of every encoded number of an intact entry; empty when the entry does not parse.</summary>
        public static List<(int Offset, int Length)> Varints(byte[] entry)
        {
            var fields = new List<(int, int)>();
            var position = 0;
            try
            {
                var count = Next(entry, ref position, fields);
                for (long i = 0; i < count; i++)
                {
                    var nameLength = Next(entry, ref position, fields);
                    position += (int)nameLength;
                    var type = Next(entry, ref position, fields);
                    var rank = Next(entry, ref position, fields);
                    var elements = 1L;
                    for (var d = 0; d < rank; d++)
                    {
                        elements *= Next(entry, ref position, fields);
                    }

                    position += (int)(elements * (type is 4 or 7 ? 8 : type == 6 ? 4 : 1));
                }
            }
            catch (Exception e) when (e is IndexOutOfRangeException or OverflowException or ArgumentOutOfRangeException)
            {
                return [];
            }

            return fields;
        }

        public static byte[] Encode(long value)
        {
            var bytes = new List<byte>();
            var rest = (ulong)value;
            while (rest >= 0x80)
            {
                bytes.Add((byte)(rest | 0x80));
                rest >>= 7;
            }

            bytes.Add((byte)rest);
            return [.. bytes];
        }

        private static long Next(byte[] entry, ref int position, List<(int, int)> fields)
        {
            var start = position;
            ulong value = 0;
            var shift = 0;
            byte b;
            do
            {
                b = entry[position++];
                value |= (ulong)(b & 0x7F) << shift;
                shift += 7;
            }
            while ((b & 0x80) != 0 && shift < 70);

            fields.Add((start, position - start));
            return (long)value;
        }
    }
}
