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
	"bianmin/internal/service"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `bianmin: township and village government service (便民服务)

usage:
  bianmin demo     [flags]   start with the demo world (阿鲁科尔沁旗), loading it into an empty database
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
  bianmin audit verify [flags]
                             check the audit trail's hash chain; names the first broken entry
  bianmin gen [flags] [-n N] [-seed S] [-days D] [-open]
                             generate N realistic cases received over the last D days (default 1,000,000
                             over 365), into the world in the database (the demo world when it is empty);
                             -open leaves every case running, for the sweep's benchmark
  bianmin bench supervision [flags] [-runs R] [-ahead D] [-full]
                             measure the banner-month dashboard (p50/p99 over R runs) and the card sweep
                             (as if D days had passed, so that cards turn)
  bianmin version

flags (also from the environment):
  -addr  listen address   ($BIANMIN_ADDR, default 127.0.0.1:8080)
  -data  data directory   ($BIANMIN_DATA, default ./data)
  -db    database URL     ($BIANMIN_DB; default: SQLite file in the data directory; postgres://... for PostgreSQL)
  -sms   SMS gateway URL  ($BIANMIN_SMS_URL; POSTs {"phone","body"}; default: messages go to the log)
  -cutoff HH:MM           ($BIANMIN_CUTOFF, default 17:30) an instant item received later is due the next working day
  -yellow PERCENT, -yellow-min DAYS   yellow card at the larger of the two (default 20% and 1 working day)
  -count-from-acceptance  count the acceptance day itself (default: from the day after, 受理当日不计)
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bianmin:", err)
		var b *audit.Break
		if errors.As(err, &b) {
			os.Exit(3)
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
	if (cmd == "admin" || cmd == "import" || cmd == "export" || cmd == "audit" || cmd == "bench" || cmd == "calendar") && len(args) > 0 {
		cmd, args = cmd+" "+args[0], args[1:]
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
	fs.StringVar(&cfg.TrustedProxy, "trusted-proxy", env("BIANMIN_TRUSTED_PROXY", ""), "address of the reverse proxy whose X-Forwarded-For names the client")
	cutoff := fs.String("cutoff", env("BIANMIN_CUTOFF", "17:30"), "time of day after which an instant item is due the next working day")
	yellow := fs.Float64("yellow", 20, "yellow card at this share of the limit (percent), but at least -yellow-min working days")
	yellowMin := fs.Int("yellow-min", 1, "yellow card at least this many working days before the due day")
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
	runs := fs.Int("runs", 200, "runs of each measurement (bench)")
	ahead := fs.Int("ahead", 0, "sweep as if this many days had passed since the data was made (bench)")
	full := fs.Bool("full", false, "also measure computing every open case's standing again, as after a calendar change (bench)")
	natural := fs.Bool("natural", false, "the limit is in natural days (calendar due)")
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
	cut, err := time.Parse("15:04", *cutoff)
	if err != nil || *yellow < 0 || *yellow > 100 || *yellowMin < 0 {
		return fmt.Errorf("-cutoff takes HH:MM (got %q), -yellow a percentage, -yellow-min a number of days", *cutoff)
	}
	cfg.Service.Clock.Cutoff = time.Duration(cut.Hour())*time.Hour + time.Duration(cut.Minute())*time.Minute
	cfg.Service.Clock.YellowShare, cfg.Service.Clock.YellowMin = *yellow/100, *yellowMin
	cfg.Service.Clock.CountFromNextDay = !*sameDay
	switch cmd {
	case "version":
		fmt.Fprintln(out, "bianmin", version)
		return nil
	case "serve", "demo":
		return serve(ctx, cfg, cmd == "demo", out)
	case "migrate", "audit verify", "import divisions", "import catalog", "import calendar", "calendar due", "export catalog", "admin create", "gen", "bench supervision":
	default:
		fmt.Fprint(out, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
	m, err := app.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer m.Close()
	switch cmd {
	case "migrate":
		fmt.Fprintf(out, "migrations applied (%s)\n", m.DB.Dialect())
		return nil
	case "gen":
		return generate(ctx, m, out, *n, *seed, *days, *open)
	case "bench supervision":
		return benchSupervision(ctx, m, out, *runs, *ahead, *full)
	case "calendar due":
		return calendarDue(ctx, m, out, files, *natural)
	case "audit verify":
		n, err := m.DB.VerifyAudit(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "audit trail intact: %d entries\n", n)
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
		res, err := m.Service.ImportDivisions(ctx, access.System, f)
		if err != nil {
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
		rep, err := m.Service.ImportItemsWith(ctx, access.System, items, service.ImportOptions{Publish: *publish, PerItem: catalogfile.IsGuides(files[0], body)})
		if err != nil {
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
		l, err := m.Service.LoadCalendar(ctx, access.System, f)
		if err != nil {
			return describe(m, err)
		}
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
		items, err := m.DB.AllItems(ctx)
		if err != nil {
			return err
		}
		f, err := os.Create(files[0])
		if err != nil {
			return err
		}
		err = catalogfile.Write(files[0], f, items)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "exported %d items to %s\n", len(items), files[0])
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

func serve(ctx context.Context, cfg app.Config, withDemo bool, out io.Writer) error {
	m, err := app.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer m.Close()
	var logins []demo.Login
	if withDemo {
		n, err := m.DB.CountOrgs(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			fmt.Fprintln(out, "loading the demo world (阿鲁科尔沁旗) ...")
			if logins, err = demo.Load(ctx, m.Service); err != nil {
				return err
			}
			// half a year of cases, so that queues, the dashboard and the reports have something to show
			fmt.Fprintln(out, "generating 5,000 sample cases of the past half-year (bianmin gen) ...")
			to := m.DB.Now()
			from := to.AddDate(0, -6, 0)
			if _, err := gen.Run(ctx, m.Service, gen.Config{N: 5000, Seed: 2026, From: from, To: to}); err != nil {
				return err
			}
			if err := gen.Finish(ctx, m.Service, from, to, nil); err != nil {
				return err
			}
		} else {
			logins = demo.Logins()
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
