namespace CommandCenter.Grains.Dispatch;

/// <summary>
/// Carries a task to a handheld over the device-command path and reports back to the handheld grain when it goes
/// unanswered (the acknowledgement itself reaches the grain through the gateway). Returns at once: a grain must not
/// wait minutes for a person to answer.
/// </summary>
public interface ITaskSender
{
    void Send(string handheldId, UnitTask task);
}
