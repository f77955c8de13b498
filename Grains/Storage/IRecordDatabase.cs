using System.Data.Common;

namespace CommandCenter.Grains.Storage;

/// <summary>
/// Where the durable records (alerts, incidents, cases) live: the embedded SQLite file or PostgreSQL shared by every
/// node. Stores write plain ADO.NET against <see cref="DbConnection"/> with <c>@name</c> parameters, which both
/// providers understand; whatever SQL differs between them is in <see cref="Dialect"/>.
/// </summary>
public interface IRecordDatabase
{
    SqlDialect Dialect { get; }

    /// <summary>Queues <paramref name="work"/> for the next transaction of the one writer; completes once it is committed.</summary>
    Task WriteAsync(Action<DbConnection> work);

    /// <summary>Runs <paramref name="read"/> on a pooled connection on the thread pool, never on the caller's thread.</summary>
    Task<T> ReadAsync<T>(Func<DbConnection, T> read);

    /// <summary>Opens a connection and runs a trivial query: throws with the reason when the database cannot be reached.</summary>
    Task CheckAsync(CancellationToken cancellation = default);
}

public static class DbCommandExtensions
{
    /// <summary>Adds <paramref name="name"/> (with its <c>@</c>) = <paramref name="value"/>; null becomes SQL NULL.</summary>
    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }

    /// <summary>A command on <paramref name="connection"/> with <paramref name="sql"/>.</summary>
    public static DbCommand Command(this DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    public static void Execute(this DbConnection connection, string sql)
    {
        using var command = connection.Command(sql);
        command.ExecuteNonQuery();
    }
}
