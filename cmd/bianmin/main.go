// Command bianmin runs the Bianmin government-service platform and its administration commands.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/app"
	"bianmin/internal/audit"
	"bianmin/internal/catalog"
	"bianmin/internal/catalogfile"
	"bianmin/internal/demo"
	"bianmin/internal/errs"
	"bianmin/internal/gen"
	"bianmin/internal/logs"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/store"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `bianmin: township and village government service (便民服务)

usage:
  bianmin demo     [flags] [-n N] [-days D]
                             start with the demo world (阿鲁科尔沁旗) and N sample cases of the last D days
                             (default 5,000 over half a year), loading them into an empty database in
                             recorded steps: a first start stopped at any moment goes on at the next
  bianmin serve    [flags]   start the server
  bianmin migrate  [flags]   apply database migrations
  bianmin admin create [flags] -org CODE -username NAME [-name NAME] [-password PW]
                             create an administrator (password from -password, $BIANMIN_ADMIN_PASSWORD or stdin)
  bianmin import divisions [flags] FILE
                             import a division file (JSON, all or nothing)
  bianmin import catalog [flags] [-department NAME] [-publish] FILE
                             import items: the Excel template (.xlsx), a catalog (.json), or published
                             guides (a JSON list, mapped as internal/catalogfile/guides.go says; -department
                             names the department they go to). A template or catalog is all or nothing;
                             guides import one by one (one that cannot be an item is refused, the others
                             kept). Prints the counts of published, draft and refused items and the reasons
                             for each draft and refused one; -publish publishes those with no gaps
  bianmin import calendar [flags] FILE
                             load a year's official holiday schedule (JSON like internal/clock/calendars/2026.json)
  bianmin calendar due [flags] [-natural] DATE N
                             print the due day of something accepted on DATE with a limit of N working days
                             (-natural: natural days), on the calendars in the database, and whether it is
                             provisional (a year without its official schedule: counted on the statutory holidays)
  bianmin export catalog [flags] FILE
                             write the catalog as .xlsx or .json (by the file's name)
  bianmin audit verify [flags] [-chain ORG]
                             check the audit trail's chains (one per organisation, and "main"; keyed hashes
                             under the audit key) against the newest signed checkpoint, one line per chain;
                             -chain checks one (a division code, an organisation's id, or main); names the
                             first broken entry (exit 3)
  bianmin audit checkpoint [flags]
                             check the entries since the last checkpoint and sign a new one of the heads
                             that moved into the checkpoints log (the server does so every -checkpoint-every)
  bianmin backup [flags] FILE
                             an online, consistent copy while Bianmin serves (SQLite: VACUUM INTO;
                             PostgreSQL: Bianmin's tables in one snapshot, gzip'd JSON lines). The keys
                             (audit.key, result-code.key) are not in it: keep copies of them apart
  bianmin restore [flags] FILE
                             restore a backup into a fresh data directory (-data) or an empty database
                             (-db), then verify the audit chain under the audit key and sign a checkpoint
  bianmin check [flags] [-repair]
                             check, reading only, what an interrupted command could leave wrong: number
                             counters at or above every number in use, every case with its audit entry,
                             first event and clock row, every notice with its case, no applicant left
                             without a case; exit 3 when something is wrong. -repair raises counters that
                             are behind (audited) and checks again
  bianmin gen [flags] [-n N] [-seed S] [-days D] [-open] [-batch B]
                             generate N realistic cases received over the last D days (default 1,000,000
                             over 365), into the world in the database (the demo world when it is empty),
                             in whole batches of B (default 2,000); safe to stop at any moment, and a second
                             run adds N more; -open leaves every case running, for the sweep's benchmark
  bianmin bench supervision [flags] [-runs R] [-ahead D] [-full]
                             measure the banner-month dashboard (p50/p99 over R runs) and the card sweep
                             (as if D days had passed, so that cards turn)
  bianmin upstream serve [-addr ADDR] [-dir DIR] [-refuse FIELD=VALUE]
                             the reference receiver of the upper platform's protocol (OpenAPI at /openapi.json):
                             validates the national fields and code sets, keeps receipts in DIR, idempotent on
                             record id; -refuse also refuses records whose FIELD is VALUE (to rehearse a refusal).
                             ADDR: $BIANMIN_UPSTREAM_ADDR, default 127.0.0.1:8090; DIR: $BIANMIN_UPSTREAM_DIR,
                             default upstream-data
  bianmin version

flags (also from the environment):
  -addr  listen address   ($BIANMIN_ADDR, default 127.0.0.1:8080)
  -data  data directory   ($BIANMIN_DATA, default data)
  -db    database URL     ($BIANMIN_DB; default: SQLite file in the data directory; postgres://... for PostgreSQL)
  -sms   SMS gateway URL  ($BIANMIN_SMS_URL; POSTs {"phone","body"}; default: messages go to the log)
  -audit-key FILE         ($BIANMIN_AUDIT_KEY; default audit.key in the data directory, made when missing)
  -audit-checkpoints FILE ($BIANMIN_AUDIT_CHECKPOINTS; default audit-checkpoints.log in the data directory)
  -audit-lanes N          ($BIANMIN_AUDIT_LANES; chains an organisation's audit trail runs in; default 8 on
                          PostgreSQL, 1 on SQLite)
  -checkpoint-every D     sign an audit checkpoint this often while serving (default 10m)
  -backup-every D, -backup-keep N, -backup-dir DIR
                          a scheduled backup while serving (default none; keep 7; DIR backups in the data
                          directory, $BIANMIN_BACKUP_DIR)
  -code-key FILE          ($BIANMIN_CODE_KEY; default result-code.key in the data directory, made when missing)
                          the key of the electronic result codes' hash: the same file for every instance
  -public-url URL         ($BIANMIN_PUBLIC_URL, default the listen address) the address printed in QR codes
  -tls-cert FILE, -tls-key FILE
                          ($BIANMIN_TLS_CERT, $BIANMIN_TLS_KEY) serve HTTPS directly
  -trusted-proxy ADDR     ($BIANMIN_TRUSTED_PROXY) the reverse proxy whose X-Forwarded-For is believed
  -require-2fa            ($BIANMIN_REQUIRE_2FA) administrators, supervisors and directors must enrol a second factor
  -idle D                 ($BIANMIN_IDLE, default 30m) end a session unused this long
  -page-kb N              ($BIANMIN_PAGE_KB, default 300) what a stored page of an electronic material may weigh; photos are recompressed to it
  -db-read URL            ($BIANMIN_DB_READ) a streaming replica of the -db primary: dashboards, reports, the portal and
                          search read there; a person who just wrote reads the primary until the replica has their write
  -db-read-lag D          ($BIANMIN_DB_READ_LAG, default 5s) the replica takes no reads while it lags more than D
  -leader-every D         (default 2s) an instance that does not run the background jobs asks to this often
  -cache-poll D           ($BIANMIN_CACHE_POLL, default 500ms) how often an instance reads the caches' versions
  -sweep-every D          (default 1m) how often the leader runs the supervision job
  -instance NAME          ($BIANMIN_INSTANCE, default host:pid) this instance's name in job_runs
  -files-dir DIR          ($BIANMIN_FILES_DIR) PostgreSQL only: keep the bytes of electronic materials as files under DIR (default: in the database)
  -cutoff HH:MM           ($BIANMIN_CUTOFF, default 17:30) an instant item received later is due the next working day
  -yellow PERCENT, -yellow-min DAYS   yellow card at the larger of the two (default 20% and 1 working day)
  -count-from-acceptance  count the acceptance day itself (default: from the day after, 受理当日不计)
  -rectify-days N         working days a 差评's rectification has (default 5; no national number, FACTS.md §2.4)
  -late-grace D           a sign-in this long after the rostered opening is still on time (default 5m; the seed names none)
  -complaint-days N       working days a complaint's answer has (default 5; GB/T 39046 6.7 sets no number: Bianmin's choice)
  -help-answer-hours N, -help-resolve-days N
                          a help request's clock (求助响应): working hours to the first answer, working days to resolve (default 2 and 2; Bianmin's choice)
  -guidance-months N      months of guidance after a delegated item's hand-over (default 3, the seed 四.(一) 移交后3个月内)
  -upstream-from CODE     ($BIANMIN_UPSTREAM_FROM) the division code a batch to the upper platform names as its sender (default: none)
  -metrics-addr ADDR      ($BIANMIN_METRICS_ADDR) the operator's listener: /metrics, /healthz, /readyz (default: none)
  -log-format text|json   ($BIANMIN_LOG_FORMAT, default text) json: one object a line, with the request id
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout)
	var st *stopped
	if err != nil && !errors.As(err, &st) && stoppedBy(ctx, err) {
		// a stop no command described: each transaction is whole, committed or rolled back
		err = &stopped{"stopped (Ctrl-C or SIGTERM) before the command finished: what it committed stays, each transaction whole; the one under way was rolled back"}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bianmin:", err)
		var b *audit.Break
		var inc *inconsistent
		switch {
		case errors.As(err, &b), errors.As(err, &inc):
			os.Exit(3)
		case errors.As(err, &st):
			os.Exit(130)
		}
		os.Exit(1)
	}
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func run(ctx context.Context, args []string, stdin io.Reader, out io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(out, usage)
		return nil
	}
	cmd, args := args[0], args[1:]
	if (cmd == "admin" || cmd == "import" || cmd == "export" || cmd == "audit" || cmd == "bench" || cmd == "calendar" || cmd == "upstream") && len(args) > 0 {
		cmd, args = cmd+" "+args[0], args[1:]
	}
	if cmd == "upstream serve" {
		return upstreamServe(ctx, args, out) // upstream.go: a process of its own, with flags of its own
	}
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(out)
	cfg := app.Config{Service: service.DefaultConfig(), Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))}
	fs.StringVar(&cfg.Addr, "addr", env("BIANMIN_ADDR", "127.0.0.1:8080"), "listen address")
	fs.StringVar(&cfg.DataDir, "data", env("BIANMIN_DATA", "data"), "data directory")
	fs.StringVar(&cfg.DB, "db", env("BIANMIN_DB", ""), "database URL")
	fs.StringVar(&cfg.PublicURL, "public-url", env("BIANMIN_PUBLIC_URL", ""), "the address people reach Bianmin at, printed in QR codes (default: the listen address)")
	fs.StringVar(&cfg.SMSURL, "sms", env("BIANMIN_SMS_URL", ""), "SMS gateway URL (messages are logged when unset)")
	fs.StringVar(&cfg.CodeKeyFile, "code-key", env("BIANMIN_CODE_KEY", ""), "file of the key for result codes' hash (default: result-code.key in the data directory, made when missing)")
	fs.StringVar(&cfg.Service.UpstreamFrom, "upstream-from", env("BIANMIN_UPSTREAM_FROM", ""), "the division code (6, 9 or 12 digits) a batch to the upper platform names as its sender")
	fs.StringVar(&cfg.MetricsAddr, "metrics-addr", env("BIANMIN_METRICS_ADDR", ""), "the operator's listener: /metrics, /healthz, /readyz (default: none; /metrics is never on -addr)")
	logFormat := fs.String("log-format", env("BIANMIN_LOG_FORMAT", "text"), "log lines as text or json (one object a line, with the request id)")
	fs.StringVar(&cfg.TrustedProxy, "trusted-proxy", env("BIANMIN_TRUSTED_PROXY", ""), "address of the reverse proxy whose X-Forwarded-For names the client")
	fs.StringVar(&cfg.AuditKeyFile, "audit-key", env("BIANMIN_AUDIT_KEY", ""), "file of the audit chain's key (default: audit.key in the data directory, made when missing)")
	fs.StringVar(&cfg.CheckpointFile, "audit-checkpoints", env("BIANMIN_AUDIT_CHECKPOINTS", ""), "append-only log of signed audit checkpoints (default: audit-checkpoints.log in the data directory)")
	fs.IntVar(&cfg.AuditLanes, "audit-lanes", int(envInt64("BIANMIN_AUDIT_LANES", 0)), "chains an organisation's audit trail runs in, so that one township's writes do not all wait for one head (0: 8 on PostgreSQL, 1 on SQLite)")
	fs.IntVar(&cfg.WriteSlots, "write-slots", int(envInt64("BIANMIN_WRITE_SLOTS", 0)), "PostgreSQL write transactions run at once, the others waiting their turn in the server (0: twice the Go processors, at least 4)")
	fs.IntVar(&cfg.NumberBlocks, "number-blocks", int(envInt64("BIANMIN_NUMBER_BLOCKS", 0)), "on PostgreSQL under load, take up to this many case or notice numbers of a series at once, given within 2 s or left as a gap (0: each number by itself)")
	fs.DurationVar(&cfg.CheckpointEvery, "checkpoint-every", 10*time.Minute, "sign an audit checkpoint this often while serving")
	fs.DurationVar(&cfg.BackupEvery, "backup-every", 0, "take a scheduled backup this often while serving (0: none)")
	fs.IntVar(&cfg.BackupKeep, "backup-keep", 7, "scheduled backups kept")
	fs.StringVar(&cfg.BackupDir, "backup-dir", env("BIANMIN_BACKUP_DIR", ""), "directory of scheduled backups (default: backups in the data directory)")
	fs.StringVar(&cfg.TLSCert, "tls-cert", env("BIANMIN_TLS_CERT", ""), "certificate file (PEM): serve HTTPS directly, with -tls-key")
	fs.StringVar(&cfg.TLSKey, "tls-key", env("BIANMIN_TLS_KEY", ""), "private key file (PEM) of -tls-cert")
	fs.BoolVar(&cfg.Service.Require2FA, "require-2fa", envBool("BIANMIN_REQUIRE_2FA"), "administrators, supervisors and directors must enrol a second factor (TOTP) before anything else (default: they are warned on every page)")
	fs.DurationVar(&cfg.Service.Idle, "idle", envDuration("BIANMIN_IDLE", cfg.Service.Idle), "end a session unused this long (0: only its 12-hour lifetime ends it)")
	// several instances on one PostgreSQL (issue 18; README "Several instances", "Read replica")
	fs.StringVar(&cfg.DBRead, "db-read", env("BIANMIN_DB_READ", ""), "a streaming replica's URL: dashboards, reports, the portal and search read there (PostgreSQL only)")
	fs.DurationVar(&cfg.ReplicaLag, "db-read-lag", envDuration("BIANMIN_DB_READ_LAG", 5*time.Second), "the replica takes no reads while it lags more than this behind the primary")
	fs.DurationVar(&cfg.LeaderEvery, "leader-every", 2*time.Second, "how often an instance that does not run the background jobs asks to (the takeover bound when the leader dies)")
	fs.DurationVar(&cfg.CachePoll, "cache-poll", envDuration("BIANMIN_CACHE_POLL", 500*time.Millisecond), "how often each instance asks whether another changed what its caches hold (the staleness bound)")
	fs.DurationVar(&cfg.SweepEvery, "sweep-every", time.Minute, "how often the leader runs the supervision job (card sweep, roll-ups, reports, alerts)")
	fs.StringVar(&cfg.Instance, "instance", env("BIANMIN_INSTANCE", ""), "this instance's name in job_runs (default: host:pid)")
	fs.StringVar(&cfg.FilesDir, "files-dir", env("BIANMIN_FILES_DIR", ""), "keep the bytes of electronic materials under this directory (PostgreSQL only; default: in the database)")
	pageKB := fs.Int64("page-kb", envInt64("BIANMIN_PAGE_KB", 300), "what a stored page of an electronic material may weigh, in KB: photos are recompressed to it")
	cutoff := fs.String("cutoff", env("BIANMIN_CUTOFF", "17:30"), "time of day after which an instant item is due the next working day")
	yellow := fs.Float64("yellow", 20, "yellow card at this share of the limit (percent), but at least -yellow-min working days")
	yellowMin := fs.Int("yellow-min", 1, "yellow card at least this many working days before the due day")
	fs.IntVar(&cfg.Service.RectifyDays, "rectify-days", cfg.Service.RectifyDays, "working days a 差评's rectification has (整改, then 反馈)")
	fs.DurationVar(&cfg.Service.LateGrace, "late-grace", 5*time.Minute, "a sign-in this long after the rostered opening still counts as on time (考勤)")
	fs.IntVar(&cfg.Service.ComplaintDays, "complaint-days", cfg.Service.ComplaintDays, "working days a complaint's answer has (承诺时限)")
	// the delegated powers' clocks (internal/delegation): the seed 四.(一) names the 求助响应 mechanism without
	// times (Bianmin's choice, 2 working hours and 2 working days) and the guidance period "移交后3个月内"
	fs.IntVar(&cfg.Service.HelpClock.AnswerHours, "help-answer-hours", cfg.Service.HelpClock.AnswerHours, "working hours a help request has to its first answer (求助响应)")
	fs.IntVar(&cfg.Service.HelpClock.ResolveDays, "help-resolve-days", cfg.Service.HelpClock.ResolveDays, "working days a help request has to be resolved")
	fs.IntVar(&cfg.Service.GuidanceMonths, "guidance-months", cfg.Service.GuidanceMonths, "months of guidance after a delegated item's hand-over (移交后3个月内)")
	sameDay := fs.Bool("count-from-acceptance", false, "count the acceptance day itself when it is a working day (default: from the day after)")
	orgCode := fs.String("org", "", "division code of the organisation (admin create)")
	username := fs.String("username", "", "username (admin create)")
	name := fs.String("name", "", "display name (admin create)")
	password := fs.String("password", "", "password (admin create)")
	department := fs.String("department", "", "department of imported guides (import catalog)")
	publish := fs.Bool("publish", false, "publish imported items that have no gaps (import catalog)")
	n := fs.Int("n", 1_000_000, "cases to generate (gen)")
	seed := fs.Uint64("seed", 1, "seed of the generator: the same seed gives the same cases (gen)")
	days := fs.Int("days", 365, "days of receipt, ending now (gen)")
	open := fs.Bool("open", false, "leave every generated case running (gen)")
	batch := fs.Int("batch", 2000, "cases written per transaction (gen)")
	repair := fs.Bool("repair", false, "raise number counters found behind the numbers in use (check)")
	runs := fs.Int("runs", 200, "runs of each measurement (bench)")
	ahead := fs.Int("ahead", 0, "sweep as if this many days had passed since the data was made (bench)")
	full := fs.Bool("full", false, "also measure computing every open case's standing again, as after a calendar change (bench)")
	natural := fs.Bool("natural", false, "the limit is in natural days (calendar due)")
	chain := fs.String("chain", "", "the chain to check: a division code, an organisation's id, or main (audit verify; default: all)")
	// Flags may come before or after the file names.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		files, args = append(files, fs.Arg(0)), fs.Args()[1:]
	}
	var err error
	if cfg.Log, err = logs.New(os.Stderr, *logFormat, slog.LevelInfo); err != nil {
		return err
	}
	cut, err := time.Parse("15:04", *cutoff)
	if err != nil || *yellow < 0 || *yellow > 100 || *yellowMin < 0 || cfg.Service.RectifyDays < 1 || cfg.Service.ComplaintDays < 1 || cfg.Service.LateGrace < 0 || cfg.Service.LateGrace > 2*time.Hour {
		return fmt.Errorf("-cutoff takes HH:MM (got %q), -yellow a percentage, -yellow-min a number of days, -rectify-days and -complaint-days at least 1, -late-grace 0 to 2h", *cutoff)
	}
	if h := cfg.Service.HelpClock; h.AnswerHours < 1 || h.AnswerHours > 200 || h.ResolveDays < 1 || h.ResolveDays > 60 || cfg.Service.GuidanceMonths < 1 || cfg.Service.GuidanceMonths > 36 {
		return fmt.Errorf("-help-answer-hours takes 1 to 200, -help-resolve-days 1 to 60, -guidance-months 1 to 36")
	}
	if c := cfg.Service.UpstreamFrom; c != "" && !divisionCode(c) {
		return fmt.Errorf("-upstream-from takes a division code of 6, 9 or 12 digits (got %q)", c)
	}
	if cfg.ReplicaLag < 100*time.Millisecond || cfg.LeaderEvery < 100*time.Millisecond || cfg.LeaderEvery > time.Minute || cfg.CachePoll < 50*time.Millisecond || cfg.CachePoll > time.Minute || cfg.SweepEvery < time.Second {
		return fmt.Errorf("-db-read-lag takes at least 100ms, -leader-every and -cache-poll 100ms (50ms) to 1m, -sweep-every at least 1s")
	}
	if *pageKB < 50 || *pageKB > 5000 {
		return fmt.Errorf("-page-kb takes 50 to 5000 (got %d)", *pageKB)
	}
	cfg.Service.Files.PageBytes = *pageKB << 10
	cfg.Service.Clock.Cutoff = time.Duration(cut.Hour())*time.Hour + time.Duration(cut.Minute())*time.Minute
	cfg.Service.Clock.YellowShare, cfg.Service.Clock.YellowMin = *yellow/100, *yellowMin
	cfg.Service.Clock.CountFromNextDay = !*sameDay
	switch cmd {
	case "version":
		fmt.Fprintln(out, "bianmin", version)
		return nil
	case "serve", "demo":
		// the demo's sample cases: 5,000 over half a year, unless -n or -days say otherwise
		demoCases, demoDays := 5000, 0
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "n":
				demoCases = *n
			case "days":
				demoDays = *days
			}
		})
		return serve(ctx, cfg, cmd == "demo", demoCases, demoDays, out)
	case "check":
		return check(ctx, cfg, out, *repair)
	case "backup":
		return backup(ctx, cfg, files, out)
	case "restore":
		return restore(ctx, cfg, files, out)
	case "migrate", "audit verify", "audit checkpoint", "import divisions", "import catalog", "import calendar", "calendar due", "export catalog", "admin create", "gen", "bench supervision":
	default:
		fmt.Fprint(out, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
	m, err := app.Open(ctx, cfg)
	if err != nil {
		if stoppedBy(ctx, err) {
			return &stopped{"stopped while opening the database: migrations are each all or nothing, and the next start applies the rest"}
		}
		return err
	}
	defer m.Close()
	switch cmd {
	case "migrate":
		fmt.Fprintf(out, "migrations applied (%s)\n", m.DB.Dialect())
		return nil
	case "gen":
		return generate(ctx, m, out, *n, *seed, *days, *open, *batch)
	case "bench supervision":
		return benchSupervision(ctx, m, out, *runs, *ahead, *full)
	case "calendar due":
		return calendarDue(ctx, m, out, files, *natural)
	case "audit verify":
		return auditVerify(ctx, m, out, *chain)
	case "audit checkpoint":
		cp, err := m.DB.WriteCheckpoint(ctx)
		if err != nil {
			return err
		}
		heads, err := m.DB.AuditHeads(ctx, "")
		if err != nil {
			return err
		}
		var n int64
		for _, h := range heads {
			n += h.Seq
		}
		fmt.Fprintf(out, "audit checkpoint signed: %d entries in %d chains, the heads of %d moved since the last, at %s\n", n, len(heads), len(cp.Heads), cp.At.Format(time.RFC3339))
		return nil
	case "import divisions":
		if len(files) != 1 {
			return errors.New("import divisions: give the file to import")
		}
		f, err := os.Open(files[0])
		if err != nil {
			return err
		}
		defer f.Close()
		fmt.Fprintln(out, "importing divisions (one transaction: all or nothing) ...")
		res, err := m.Service.ImportDivisions(ctx, access.System, f)
		if err != nil {
			if stoppedBy(ctx, err) {
				return &stopped{"import stopped: nothing was imported (the import is one transaction, rolled back)"}
			}
			return describe(m, err)
		}
		fmt.Fprintf(out, "imported: %d new organisations (%d townships, %d villages in the file)\n", res.Created, res.Townships, res.Villages)
		return nil
	case "import catalog":
		if len(files) != 1 {
			return errors.New("import catalog: give the file to import")
		}
		body, err := os.ReadFile(files[0])
		if err != nil {
			return err
		}
		items, err := catalogfile.Read(files[0], body, *department)
		if err != nil {
			return describe(m, err)
		}
		dels, err := catalogfile.ReadDelegations(files[0], body)
		if err != nil {
			return describe(m, err)
		}
		fmt.Fprintf(out, "importing %d items (written in batches that go live together: all or nothing) ...\n", len(items))
		rep, err := m.Service.ImportItemsWith(ctx, access.System, items, service.ImportOptions{Publish: *publish, PerItem: catalogfile.IsGuides(files[0], body),
			Delegations: dels, Source: files[0]})
		if err != nil {
			if stoppedBy(ctx, err) {
				return &stopped{"import stopped: nothing was imported (the batches already written were removed before they went live)"}
			}
			return describe(m, err)
		}
		printImport(out, m, rep)
		return nil
	case "import calendar":
		if len(files) != 1 {
			return errors.New("import calendar: give the file to import")
		}
		f, err := os.Open(files[0])
		if err != nil {
			return err
		}
		defer f.Close()
		fmt.Fprintln(out, "loading the calendar and recomputing the due days of open cases (one transaction: all or nothing) ...")
		started := time.Now()
		l, err := m.Service.LoadCalendar(ctx, access.System, f)
		if err != nil {
			if stoppedBy(ctx, err) {
				return &stopped{"calendar load stopped: nothing changed (the calendar and every due day it moves are one transaction, rolled back)"}
			}
			return describe(m, err)
		}
		fmt.Fprintf(out, "  %d open cases recomputed in %s\n", len(l.Moved), time.Since(started).Round(time.Millisecond))
		y, told := l.Year, 0
		for _, mv := range l.Moved {
			if mv.Told {
				told++
			}
		}
		fmt.Fprintf(out, "calendar %d loaded: %d holiday periods, %d make-up working days; %d open cases' due days moved, %d applicants told\n",
			y.Year, len(y.Holidays), len(y.Workdays), len(l.Moved), told)
		return nil
	case "export catalog":
		if len(files) != 1 {
			return errors.New("export catalog: give the file to write")
		}
		items, dels, err := m.Service.CatalogExport(ctx, access.System)
		if err != nil {
			return err
		}
		f, err := os.Create(files[0])
		if err != nil {
			return err
		}
		err = catalogfile.WriteWith(files[0], f, items, dels)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "exported %d items and %d delegations to %s\n", len(items), len(dels), files[0])
		return nil
	case "admin create":
		o, err := m.DB.OrgByCode(ctx, *orgCode)
		if err != nil {
			return fmt.Errorf("admin create: no organisation with code %q; import divisions first", *orgCode)
		}
		pw := *password
		if pw == "" {
			pw = os.Getenv("BIANMIN_ADMIN_PASSWORD")
		}
		if pw == "" {
			fmt.Fprint(out, "password: ")
			line, _ := bufio.NewReader(stdin).ReadString('\n')
			pw = strings.TrimSpace(line)
		}
		if *name == "" {
			*name = *username
		}
		in := service.StaffInput{Username: *username, Name: *name, Role: string(access.Admin), OrgID: o.ID, Lang: "zh", Password: pw}
		if _, err := m.Service.CreateStaff(ctx, access.System, in); err != nil {
			return describe(m, err)
		}
		fmt.Fprintf(out, "administrator %s created at %s\n", *username, o.NameZh)
	}
	return nil
}

// printImport says what an import did: the counts of published, draft and refused items, then each draft
// and refused item with its reasons, in Chinese.
func printImport(out io.Writer, m *app.Main, rep service.ImportReport) {
	fmt.Fprintf(out, "imported %d of %d items: %d published, %d draft, %d refused\n", rep.Created, len(rep.Items), rep.Published, rep.Drafts, rep.Refused)
	if rep.Unchanged+rep.Updated > 0 {
		fmt.Fprintf(out, "already in the catalog: %d unchanged, %d saved as their next draft version\n", rep.Unchanged, rep.Updated)
	}
	if rep.Proposals > 0 {
		fmt.Fprintf(out, "%d delegation records wait for their departments to confirm them (/delegation-proposals)\n", rep.Proposals)
	}
	for _, a := range rep.Already {
		fmt.Fprintf(out, "%s %s: already %s, not proposed again\n", a.Position, a.Item, a.Why)
	}
	for i, o := range rep.Items {
		if o.Status == catalog.Published {
			continue
		}
		what := "draft"
		if o.Status == "" {
			what = "refused"
		}
		name := o.Name
		if name == "" {
			name = "(no name)"
		}
		fmt.Fprintf(out, "  %s %d %s:\n", what, i+1, name)
		for _, line := range m.Web.Describe(errs.List(o.Reasons)) {
			fmt.Fprintf(out, "    %s\n", line)
		}
	}
}

// describe renders service errors for the terminal, in Chinese, naming each field.
func describe(m *app.Main, err error) error {
	msgs := m.Web.Describe(err)
	if len(msgs) == 0 {
		return err
	}
	return errors.New(strings.Join(msgs, "\n  "))
}

func serve(ctx context.Context, cfg app.Config, withDemo bool, demoCases, demoDays int, out io.Writer) error {
	app.TuneProcs(cfg.DB)
	m, err := app.Open(ctx, cfg)
	if err != nil {
		if stoppedBy(ctx, err) {
			return &stopped{"stopped while opening the database: nothing was loaded; migrations are each all or nothing, and the next start applies the rest"}
		}
		return err
	}
	defer m.Close()
	var logins []demo.Login
	if withDemo {
		if logins, err = firstStart(ctx, m, demoCases, demoDays, out); err != nil {
			var st *stopped
			if !errors.As(err, &st) && stoppedBy(ctx, err) {
				return &stopped{"stopped during the demo's first load: the steps done are kept, each whole, and the next bianmin demo goes on from there"}
			}
			return err
		}
	}
	addr, err := m.Listen()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Bianmin %s is running on %s (%s)\n", version, "http://"+addr+"/", m.DB.Dialect())
	if withDemo {
		fmt.Fprintf(out, "demo logins (password for all: %s):\n", demo.Password)
		for _, l := range logins {
			fmt.Fprintf(out, "  %-24s %-11s %s\n", l.Username, l.Role, l.Where)
		}
		fmt.Fprintf(out, "open http://%s/login and sign in, e.g. as admin / %s\n", addr, demo.Password)
	}
	return m.Run(ctx)
}

// The demo's first start, after the world's own steps: its sample cases, then their figures and reports.
const (
	stepDemoBegin = "demo.begin"
	stepDemoCases = "demo.cases"
	stepDemoDone  = "demo.done"
)

// firstStart loads the demo world and its sample cases into an empty database, in steps each recorded when
// done; a start that finds the load unfinished goes on with it. Stopped by Ctrl-C, it says where it stopped.
func firstStart(ctx context.Context, m *app.Main, n, days int, out io.Writer) ([]demo.Login, error) {
	done, err := m.DB.StepsDone(ctx)
	if err != nil {
		return nil, err
	}
	orgs, err := m.DB.CountOrgs(ctx)
	if err != nil {
		return nil, err
	}
	worldUnfinished := done[demo.StepBegin] && !done[demo.StepWorld]
	demoUnfinished := done[stepDemoBegin] && !done[stepDemoDone]
	if orgs > 0 && !worldUnfinished && !demoUnfinished {
		return demo.Logins(), nil // a database in use: keep what is there
	}
	if orgs == 0 && !done[stepDemoBegin] {
		if err := m.DB.MarkStep(ctx, stepDemoBegin); err != nil {
			return nil, err
		}
		fmt.Fprintln(out, "loading the demo world (阿鲁科尔沁旗) ... (Ctrl-C stops it; the next start goes on from where it stopped)")
	} else {
		fmt.Fprintln(out, "the demo's first load was stopped before it ended: going on from where it stopped")
	}
	logins, err := demo.Load(ctx, m.Service)
	if err != nil {
		return nil, worldError(ctx, m, err)
	}
	to := m.DB.Now()
	from := to.AddDate(0, -6, 0)
	if days > 0 {
		from = to.AddDate(0, 0, -days)
	}
	if !done[stepDemoCases] {
		have, err := m.DB.CountCases(ctx)
		if err != nil {
			return nil, err
		}
		if have < n {
			// half a year of cases, so that queues, the dashboard and the reports have something to show
			fmt.Fprintf(out, "generating %d sample cases of the past half-year (bianmin gen) ...\n", n-have)
			st, err := gen.Run(ctx, m.Service, gen.Config{N: n - have, Seed: 2026, From: from, To: to, Batch: 500, Progress: newProgress(out, "sample cases", "cases").report})
			if err != nil {
				if stoppedBy(ctx, err) {
					return nil, &stopped{fmt.Sprintf("stopped while generating the sample cases: %d of %d written, in whole batches; the next bianmin demo goes on from there", have+st.Cases, n)}
				}
				return nil, fmt.Errorf("the demo's sample cases cannot be made: %v\n  to start clean, remove the database (%s) and start again", err, where(m))
			}
		}
		if err := m.DB.MarkStep(context.WithoutCancel(ctx), stepDemoCases); err != nil {
			return nil, err
		}
	}
	fmt.Fprintln(out, "rolling up the sample cases' figures and monthly reports ...")
	if err := gen.Finish(ctx, m.Service, from, to, nil); err != nil {
		if stoppedBy(ctx, err) {
			return nil, &stopped{"stopped while rolling up the sample cases: the cases are all there; the next bianmin demo makes the figures"}
		}
		return nil, err
	}
	if err := m.DB.MarkStep(ctx, stepDemoDone); err != nil {
		return nil, err
	}
	return logins, nil
}

// inconsistent is what bianmin check found wrong (exit 3, as a broken audit chain).
type inconsistent struct{ n int }

func (e *inconsistent) Error() string {
	return fmt.Sprintf("check: %d kinds of inconsistency (see above)", e.n)
}

// check reads the database for what an interrupted command could leave wrong, without migrating or writing;
// -repair raises counters found behind, audited, and checks again.
func check(ctx context.Context, cfg app.Config, out io.Writer, repair bool) error {
	db, err := store.Open(ctx, cfg.DB, cfg.DataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	if p, err := db.Pending(ctx); err != nil {
		return err
	} else if len(p) > 0 {
		// A start stopped while it migrated an empty database leaves it so: each migration is all or nothing
		// and the next start applies the rest. A database with organisations needs them before it is checked.
		var orgs int
		if db.QueryRowRaw(ctx, `SELECT count(*) FROM orgs`).Scan(&orgs) != nil || orgs == 0 {
			fmt.Fprintf(out, "an empty database, %d migrations not yet applied (the next start applies them): nothing else to check\nconsistent\n", len(p))
			return nil
		}
		return fmt.Errorf("check: the database lacks %d migrations (%s ...): run bianmin migrate first", len(p), p[0])
	}
	rep, err := db.Check(ctx)
	if err != nil {
		return err
	}
	print := func(rep store.CheckReport) {
		fmt.Fprintf(out, "checked %d cases, %d applicants, %d counters\n", rep.Cases, rep.Applicants, rep.Counters)
		for _, f := range rep.Findings {
			mend := ""
			if f.Repairable {
				mend = " (bianmin check -repair mends it)"
			}
			fmt.Fprintf(out, "  %s: %d, e.g. %s%s\n", f.What, f.Count, f.Example, mend)
		}
		// gaps are the gap policy at work (a number taken by a request that then failed is not given again),
		// listed for the record rather than as findings
		var missing int64
		for i, g := range rep.Gaps {
			missing += g.Missing
			if i < 20 {
				fmt.Fprintf(out, "  gaps in %s: %d of %d numbers not in use (taken by requests that failed; not a fault)\n", g.Series, g.Missing, g.Counter)
			}
		}
		if len(rep.Gaps) > 20 {
			fmt.Fprintf(out, "  ... gaps in %d series in all, %d numbers\n", len(rep.Gaps), missing)
		}
	}
	print(rep)
	if repair && len(rep.Findings) > 0 {
		// repairs are audited: the chain's key is needed to append to it
		if err := app.OpenAudit(ctx, db, cfg); err != nil {
			return err
		}
		n, err := db.Repair(ctx, access.System, rep)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "repaired: %d counters raised to the highest number in use (each audited as counter.repair)\n", n)
		if rep, err = db.Check(ctx); err != nil {
			return err
		}
		print(rep)
	}
	if len(rep.Findings) > 0 {
		return &inconsistent{len(rep.Findings)}
	}
	fmt.Fprintln(out, "consistent")
	return nil
}

// envBool reads a yes/no setting from the environment (1, true, yes, on).
func envBool(name string) bool {
	switch strings.ToLower(os.Getenv(name)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// envDuration reads a duration (30m, 1h) from the environment; def when unset or unreadable.
func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return def
}

func envInt64(name string, def int64) int64 {
	if v := os.Getenv(name); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	}
	return def
}

// divisionCode reports whether c is a division code of some level (org.CheckCode: a banner's or a higher
// level's 6 digits, a township's 9 or 12, a village's 12).
func divisionCode(c string) bool {
	for _, k := range []org.Kind{org.Banner, org.Township, org.Village} {
		if org.CheckCode(k, c, nil, false) == nil {
			return true
		}
	}
	return false
}
