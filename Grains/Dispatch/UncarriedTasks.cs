namespace CommandCenter.Grains.Dispatch;

/// <summary>Where no device gateway runs (grain tests, tools): tasks stay stored and unanswered until one does.</summary>
internal sealed class UncarriedTasks : ITaskSender
{
    public void Send(string handheldId, UnitTask task) { }
}
