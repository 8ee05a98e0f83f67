namespace DSpib.Systems.Dynamics;

/// <summary>
/// A bias that the walkers of one simulation share and change as they run (multiple-walker metadynamics). The
/// integrators run the walkers of such a bias in lockstep: after every frame each walker asks
/// <see cref="FrameRecorded"/> whether the bias has changes waiting; if so, every walker waits until all have recorded
/// that frame, and in between, on one thread, <see cref="EndFrame"/> applies the changes. A bias that keeps the
/// changes the walkers ask for and applies them in <see cref="EndFrame"/>, in walker order, evolves the same way
/// whatever the thread scheduling, so a seeded simulation gives the same frames every time.
/// </summary>
public interface ILockstepBias : IBias
{
    /// <summary>
    /// Called by <paramref name="walker"/> after it has recorded a frame (with its <see cref="IBias.LogWeight"/>):
    /// whether the walkers are to wait for each other and call <see cref="EndFrame"/> now. It must answer the same for
    /// every walker at the same frame (the walkers of a simulation make the same number of force evaluations per frame).
    /// </summary>
    /// <param name="walker">The walker's index.</param>
    bool FrameRecorded(int walker);

    /// <summary>
    /// Called when every walker has recorded the current frame and before any continues, and once when they have all
    /// finished: applies the changes requested so far, in walker order.
    /// </summary>
    void EndFrame();
}
