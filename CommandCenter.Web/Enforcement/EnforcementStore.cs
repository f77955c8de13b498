using System.Globalization;
using System.Text.Json;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Storage;
using System.Data.Common;

namespace CommandCenter.Web.Enforcement;

/// <summary>
/// The enforcement decisions, in the command center's database beside the alerts they judge. A decision is written
/// through the one writer: when <see cref="TryAddAsync"/> returns, it is committed.
/// </summary>
public sealed class EnforcementStore
{
    private readonly IRecordDatabase _store;

    /// <param name="store">Its migration 4 made the decisions' table, beside the alerts. The number sequence is per year
    /// of the decision (China time); seq is set for confirmed violations only.</param>
    public EnforcementStore(IRecordDatabase store) => _store = store;

    /// <summary>
    /// Writes <paramref name="decision"/> unless the alert already has one (then null). A confirmed violation gets the
    /// next record number of its year, inside the same transaction; the decision is signed with its number in it.
    /// </summary>
    public async Task<EnforcementDecision?> TryAddAsync(EnforcementDecision decision)
    {
        EnforcementDecision? written = null;
        await _store.WriteAsync(connection =>
        {
            using (var exists = connection.Command("SELECT 1 FROM enforcement_decisions WHERE alert_id = @id"))
            {
                exists.With("@id", decision.AlertId);
                if (exists.ExecuteScalar() is not null) return;
            }
            var year = ChinaTime.Of(decision.DecidedAt).Year;
            long? seq = null;
            var signed = decision;
            if (decision.Decision == DecisionKind.ConfirmedViolation)
            {
                using var next = connection.Command("SELECT COALESCE(MAX(seq), 0) + 1 FROM enforcement_decisions WHERE year = @year");
                next.With("@year", year);
                seq = Convert.ToInt64(next.ExecuteScalar(), CultureInfo.InvariantCulture);
                signed = signed with
                {
                    RecordNumber = string.Create(CultureInfo.InvariantCulture, $"ENF-{year}-{seq:000000}"),
                    CaseStatus = decision.CaseStatus ?? EnforcementDecision.CasePending,
                };
            }
            signed = signed.Signed();
            using var insert = connection.Command("""
                INSERT INTO enforcement_decisions (alert_id, decision, sensor_id, rule, decided_at, year, seq, data)
                VALUES (@id, @decision, @sensor, @rule, @at, @year, @seq, @data)
                """);
            insert.With("@id", signed.AlertId);
            insert.With("@decision", (int)signed.Decision);
            insert.With("@sensor", signed.SensorId);
            insert.With("@rule", signed.Rule);
            insert.With("@at", signed.DecidedAt.UtcDateTime.ToString("O"));
            insert.With("@year", year);
            insert.With("@seq", (object?)seq ?? DBNull.Value);
            insert.With("@data", JsonSerializer.Serialize(signed, SqliteGrainStorage.Json));
            insert.ExecuteNonQuery();
            written = signed;
        });
        return written;
    }

    public async Task<EnforcementDecision?> FindAsync(string alertId) =>
        (await Decisions("SELECT data FROM enforcement_decisions WHERE alert_id = @p", alertId)).FirstOrDefault();

    /// <summary>Newest first.</summary>
    public Task<List<EnforcementDecision>> ListAsync(int limit) =>
        Decisions("SELECT data FROM enforcement_decisions ORDER BY decided_at DESC LIMIT @p", limit);

    /// <summary>Sensors and rules with the most false alarms first.</summary>
    public Task<List<NoisySensor>> NoisyAsync(int limit) => _store.ReadAsync(connection =>
    {
        using var command = connection.Command("""
            SELECT sensor_id, rule, COUNT(*), MAX(decided_at) FROM enforcement_decisions WHERE decision = 1
            GROUP BY sensor_id, rule ORDER BY COUNT(*) DESC, MAX(decided_at) DESC LIMIT @p
            """);
        command.With("@p", limit);
        using var reader = command.ExecuteReader();
        var rows = new List<NoisySensor>();
        while (reader.Read())
            rows.Add(new NoisySensor(reader.GetString(0), reader.GetString(1), Grains.Pollution.ExceedanceRules.CodeOf(reader.GetString(1)), Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture),
                DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture)));
        return rows;
    });

    /// <summary>
    /// Pollution exceedance alerts of sensors with no decision yet, newest first: the open ones and those cleared
    /// since <paramref name="clearedSince"/>.
    /// </summary>
    public Task<List<Alert>> UndecidedAsync(DateTimeOffset clearedSince, int limit) => Alerts($"""
        SELECT a.data FROM alerts a
        WHERE {_store.Dialect.Glob("a.grain_key", "@pattern")} AND (a.state <> 2 OR a.last_at >= @since)
          AND NOT EXISTS (SELECT 1 FROM enforcement_decisions d WHERE d.alert_id = a.id)
        ORDER BY a.first_at DESC LIMIT @limit
        """, command =>
    {
        command.With("@pattern", _store.Dialect.GlobPattern($"sensor/*/{SystemAlertTypes.ExceedancePrefix}*"));
        command.With("@since", clearedSince.UtcDateTime.ToString("O"));
        command.With("@limit", limit);
    }, keep: alert => alert.IsActive || alert.ClearedAt >= clearedSince);

    /// <summary>A sensor's exceedance alerts that were open at some time between <paramref name="from"/> and <paramref name="to"/>.</summary>
    public Task<List<Alert>> OfSensorAsync(string sensorId, DateTimeOffset from, DateTimeOffset to, int limit) => Alerts("""
        SELECT data FROM alerts
        WHERE grain_key >= @low AND grain_key < @high AND first_at <= @to
        ORDER BY first_at DESC LIMIT @limit
        """, command =>
    {
        // The grain keys of one sensor's exceedances, as a range the index can seek ("." sorts right after "-").
        var prefix = $"sensor/{sensorId}/{SystemAlertTypes.ExceedancePrefix}";
        command.With("@low", prefix);
        command.With("@high", prefix[..^1] + ".");
        command.With("@to", to.UtcDateTime.ToString("O"));
        command.With("@limit", limit);
    }, keep: alert => (alert.ClearedAt ?? DateTimeOffset.MaxValue) >= from);

    private Task<List<Alert>> Alerts(string sql, Action<DbCommand> bind, Func<Alert, bool> keep) => _store.ReadAsync(connection =>
    {
        using var command = connection.Command(sql);
        bind(command);
        using var reader = command.ExecuteReader();
        var alerts = new List<Alert>();
        while (reader.Read())
        {
            var alert = JsonSerializer.Deserialize<Alert>(reader.GetString(0), SqliteGrainStorage.Json)!;
            if (keep(alert)) alerts.Add(alert);
        }
        return alerts;
    });

    private Task<List<EnforcementDecision>> Decisions(string sql, object parameter) => _store.ReadAsync(connection =>
    {
        using var command = connection.Command(sql);
        command.With("@p", parameter);
        using var reader = command.ExecuteReader();
        var decisions = new List<EnforcementDecision>();
        while (reader.Read()) decisions.Add(JsonSerializer.Deserialize<EnforcementDecision>(reader.GetString(0), SqliteGrainStorage.Json)!);
        return decisions;
    });
}
