package store

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// This file finds every SQL statement of a package's Go source, for the check of the distribution plan
// (shards_test.go). It reads the source with go/ast and folds constants with go/constant: a statement is the
// text passed to a sink (exec, query, queryRow, their database/sql forms, and any function of the package that
// passes one of its string parameters on to a sink), with its parts that are not constants left as holes
// ⟨like this⟩. A statement that is a hole and nothing else cannot be read, and is reported.

// sqlStmt is one statement as the source writes it.
type sqlStmt struct {
	Func string // the function that holds the call, "DB.Case", "Tx.SaveCase", "bulkInsert"
	Pos  string // file:line of the call
	Text string
	// Via names the package functions the text went through before reaching a sink ("" when written at the sink).
	Via string
}

// sqlSink is a function whose argument at Arg is (part of) a statement.
type sqlSink struct {
	Arg int
	// CtxFirst: the argument is at Arg+1 when the call's first argument is a context (db.query(ctx, q) and
	// tx.query(q) share a name).
	CtxFirst bool
	// Templates are the texts the function makes of the argument: holes name its parameters as ⟨$0⟩, ⟨$1⟩ ...
	// (nil for a base sink: the argument is the statement).
	Templates []string
	Decl      string
}

// baseSinks are the calls that run SQL.
var baseSinks = map[string]sqlSink{
	"exec": {CtxFirst: true}, "query": {CtxFirst: true}, "queryRow": {CtxFirst: true}, "queryCases": {CtxFirst: true},
	"ExecContext": {Arg: 1}, "QueryContext": {Arg: 1}, "QueryRowContext": {Arg: 1},
	"row":       {},                              // a rowFunc (casedoc.go): a statement read in a transaction or not
	"execLater": {Arg: 1}, "queryRowKeeping": {}, // later.go: a write kept for the next statement, a read that lets it wait
	"Exec": {}, "Query": {}, "QueryRow": {}, "Prepare": {}, "PrepareContext": {Arg: 1},
	"Queue": {}, // a pgx batch's statement (pgtx.go)
}

// builderSinks build a statement from a parameter in a way the scanner does not follow (a strings.Builder
// filled in a loop): the statement is the parameter's text, and the sink call inside is not reported.
var builderSinks = map[string]int{
	"bulkInsert": 1, // head + "(?, ?), (?, ?)...": the values are placeholders only
	// a WITH clause (made of statements the scanner reads where they are run alone) + the same
	"bulkInsertAfter": 3,
	"insertRows":      2, // the statement bulkInsertAfter runs, made for a pipeline (pgtx.go)
	"inKeptSet":       4, // instances.go: the set of ids read by the statement when not kept
}

// assembled are functions whose statements are made only of statements the scanner reads where they are
// given: the kept writes of later.go, read at their execLater; a pipeline's writes, read at their exec, and
// its read (an audit head's lock, read where auditHead runs it alone).
var assembled = map[string]bool{"Tx.flushLater": true, "pgTx.pipelineRead": true}

type scanner struct {
	fset   *token.FileSet
	consts map[string]ast.Expr // package-level constants
	sinks  map[string]sqlSink
	files  []*ast.File
	// Unread are calls whose statement could not be read, as "pos: func: text".
	Unread []string
}

// scanSQL parses the non-test Go files of dir (or the given sources, name -> text, when src is not nil) and
// returns every statement found.
func scanSQL(dir string, src map[string]string) ([]sqlStmt, *scanner, error) {
	s := &scanner{fset: token.NewFileSet(), consts: map[string]ast.Expr{}, sinks: map[string]sqlSink{}}
	for k, v := range baseSinks {
		s.sinks[k] = v
	}
	for k, v := range builderSinks {
		s.sinks[k] = sqlSink{Arg: v, Templates: []string{"⟨$" + strconv.Itoa(v) + "⟩"}, Decl: k}
	}
	names := []string{}
	if src == nil {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, nil, err
		}
		for _, e := range entries {
			if n := e.Name(); strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
				names = append(names, n)
			}
		}
	} else {
		for n := range src {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		var text any
		if src != nil {
			text = src[n]
		}
		f, err := parser.ParseFile(s.fset, filepath.Join(dir, n), text, 0)
		if err != nil {
			return nil, nil, err
		}
		s.files = append(s.files, f)
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
				for _, sp := range g.Specs {
					vs := sp.(*ast.ValueSpec)
					for i, id := range vs.Names {
						if i < len(vs.Values) {
							s.consts[id.Name] = vs.Values[i]
						}
					}
				}
			}
		}
	}
	// Functions that pass a parameter on to a sink become sinks themselves; repeat until none is added.
	for changed := true; changed; {
		changed = false
		s.eachCall(func(fn *scope, call *ast.CallExpr, sk sqlSink, arg ast.Expr) {
			if _, ok := builderSinks[fn.name()]; ok || assembled[fn.name()] {
				return
			}
			texts := s.texts(fn, arg)
			var tmpl []string
			params := map[int]bool{}
			for _, t := range texts {
				for i := range fn.params() {
					if strings.Contains(t, "⟨$"+strconv.Itoa(i)+"⟩") {
						params[i] = true
					}
				}
				tmpl = append(tmpl, t)
			}
			if len(params) != 1 {
				return // no parameter (a statement) or several (reported at the call sites' expansion)
			}
			var p int
			for i := range params {
				p = i
			}
			name := fn.sinkName()
			if name == "" {
				return
			}
			if old, ok := s.sinks[name]; ok {
				if old.Decl != fn.name() {
					return
				}
				if len(old.Templates) >= len(tmpl) {
					return
				}
			}
			s.sinks[name] = sqlSink{Arg: p, Templates: tmpl, Decl: fn.name()}
			changed = true
		})
	}
	var out []sqlStmt
	s.eachCall(func(fn *scope, call *ast.CallExpr, sk sqlSink, arg ast.Expr) {
		if _, ok := builderSinks[fn.name()]; ok || assembled[fn.name()] {
			return
		}
		name := calleeName(call)
		pos := s.fset.Position(call.Pos())
		at := filepath.Base(pos.Filename) + ":" + strconv.Itoa(pos.Line)
		texts := s.texts(fn, arg)
		if sk.Templates != nil {
			// A call of a package function: its texts with this call's argument in place of the parameter.
			// A template naming another parameter gets that argument read too.
			var full []string
			for _, tm := range sk.Templates {
				for _, t := range texts {
					x := strings.ReplaceAll(tm, "⟨$"+strconv.Itoa(sk.Arg)+"⟩", t)
					for i, a := range call.Args {
						if h := "⟨$" + strconv.Itoa(i) + "⟩"; strings.Contains(x, h) {
							x = strings.ReplaceAll(x, h, strings.Join(s.texts(fn, a), " "))
						}
					}
					full = append(full, x)
				}
			}
			texts = full
		}
		for _, t := range dedupe(texts) {
			if sk.Templates == nil && strings.Contains(t, "⟨$") && len(fn.params()) > 0 && isParamOnly(t) {
				continue // a pass-through: reported at the callers
			}
			if isHoleOnly(t) {
				s.Unread = append(s.Unread, at+": "+fn.name()+": "+t)
				continue
			}
			if sk.Templates == nil && strings.Contains(t, "⟨$") {
				continue // the sink's own body: reported with its callers' arguments
			}
			if !looksSQL(t) {
				continue
			}
			via := ""
			if sk.Templates != nil {
				via = name
			}
			out = append(out, sqlStmt{Func: fn.name(), Pos: at, Text: t, Via: via})
		}
	})
	return out, s, nil
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range in {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// scope is a function declaration, or a function literal inside one (a closure that runs statements).
type scope struct {
	decl *ast.FuncDecl
	lit  *ast.FuncLit
	// litName is the variable the literal is assigned to ("" when none).
	litName string
}

func (fn *scope) name() string {
	n := funcName(fn.decl)
	if fn.lit != nil && fn.litName != "" {
		n += "." + fn.litName
	}
	return n
}

// sinkName is the name a call of this function is known by.
func (fn *scope) sinkName() string {
	if fn.lit != nil {
		return fn.litName
	}
	return fn.decl.Name.Name
}

func (fn *scope) params() map[int]*ast.Object {
	t := fn.decl.Type
	if fn.lit != nil {
		t = fn.lit.Type
	}
	return paramsOf(t)
}

func (fn *scope) body() ast.Node {
	if fn.lit != nil {
		return fn.lit.Body
	}
	return fn.decl.Body
}

// eachCall visits every call of a sink in every function, with the expression holding its statement.
func (s *scanner) eachCall(visit func(fn *scope, call *ast.CallExpr, sk sqlSink, arg ast.Expr)) {
	for _, f := range s.files {
		for _, d := range f.Decls {
			decl, ok := d.(*ast.FuncDecl)
			if !ok || decl.Body == nil || seam[funcName(decl)] {
				continue
			}
			top := &scope{decl: decl}
			var walk func(fn *scope, n ast.Node)
			walk = func(fn *scope, n ast.Node) {
				ast.Inspect(n, func(n ast.Node) bool {
					switch x := n.(type) {
					case *ast.AssignStmt:
						if len(x.Lhs) == 1 && len(x.Rhs) == 1 {
							if lit, ok := x.Rhs[0].(*ast.FuncLit); ok {
								name := ""
								if id, ok := x.Lhs[0].(*ast.Ident); ok {
									name = id.Name
								}
								walk(&scope{decl: decl, lit: lit, litName: name}, lit.Body)
								return false
							}
						}
					case *ast.FuncLit:
						walk(&scope{decl: decl, lit: x}, x.Body)
						return false
					case *ast.CallExpr:
						sk, ok := s.sinks[calleeName(x)]
						if !ok {
							return true
						}
						i := sk.Arg
						if sk.CtxFirst && len(x.Args) > 1 && isContext(x.Args[0]) {
							i++
						}
						if i < len(x.Args) {
							visit(fn, x, sk, x.Args[i])
						}
					}
					return true
				})
			}
			walk(top, decl.Body)
		}
	}
}

// seam are the store's own runners of statements (store.go): they run what their callers pass, and the
// callers are where the statements are read.
var seam = map[string]bool{
	"Tx.exec": true, "Tx.query": true, "Tx.queryRow": true, "Tx.wstmt": true, "DB.query": true, "DB.queryRow": true,
	"DB.rstmt": true, "stmtCache.get": true, "stmtCache.preparePending": true, "DB.ExecRaw": true, "DB.QueryRaw": true,
	"DB.QueryRowRaw": true, "DB.queryCases": true, "Tx.queryCases": true,
}

func calleeName(call *ast.CallExpr) string {
	switch f := call.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	case *ast.IndexExpr: // a generic function
		if id, ok := f.X.(*ast.Ident); ok {
			return id.Name
		}
	}
	return ""
}

func isContext(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name == "ctx"
	case *ast.SelectorExpr:
		return x.Sel.Name == "ctx"
	case *ast.CallExpr:
		if sel, ok := x.Fun.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "context" {
				return true
			}
		}
	}
	return false
}

func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	t := fn.Recv.List[0].Type
	if st, ok := t.(*ast.StarExpr); ok {
		t = st.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fn.Name.Name
	}
	return fn.Name.Name
}

// paramsOf maps the parameters of a function type to their positions in a call (a method's receiver is not one).
func paramsOf(t *ast.FuncType) map[int]*ast.Object {
	out := map[int]*ast.Object{}
	i := 0
	for _, fld := range t.Params.List {
		if len(fld.Names) == 0 {
			i++
			continue
		}
		for _, n := range fld.Names {
			out[i] = n.Obj
			i++
		}
	}
	return out
}

const maxVariants = 16

// texts folds e into the texts it can take: constants folded, a local variable replaced by what is assigned
// to it (each plain assignment a variant, each += appended), a parameter as ⟨$i⟩, anything else a hole.
func (s *scanner) texts(fn *scope, e ast.Expr) []string {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind == token.STRING {
			return []string{constant.StringVal(constant.MakeFromLiteral(x.Value, x.Kind, 0))}
		}
	case *ast.ParenExpr:
		return s.texts(fn, x.X)
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			return cross(s.texts(fn, x.X), s.texts(fn, x.Y))
		}
	case *ast.CallExpr:
		// the dialect's rewrite of placeholders keeps the text
		if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "q" && len(x.Args) == 1 {
			return s.texts(fn, x.Args[0])
		}
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			if v := s.ranged(fn, id, x.Sel.Name); v != nil {
				return v
			}
		}
	case *ast.Ident:
		if v := s.ranged(fn, x, ""); v != nil {
			return v
		}
		if x.Obj != nil && x.Obj.Kind == ast.Con {
			if v, ok := s.consts[x.Name]; ok {
				return s.texts(fn, v)
			}
		}
		if x.Obj == nil {
			if v, ok := s.consts[x.Name]; ok { // a constant of another file
				return s.texts(fn, v)
			}
		}
		for i, o := range fn.params() {
			if o != nil && o == x.Obj {
				return []string{"⟨$" + strconv.Itoa(i) + "⟩"}
			}
		}
		if x.Obj != nil && x.Obj.Kind == ast.Var {
			if v := s.local(fn, x); v != nil {
				return v
			}
		}
		if f, ok := runtimeTexts[x.Name]; ok {
			return f()
		}
	}
	return []string{"⟨" + exprString(e) + "⟩"}
}

// runtimeTexts are package variables whose statement is built when the package loads: the test reads the
// text built.
var runtimeTexts = map[string]func() []string{
	"callCandidates": func() []string { return []string{callCandidates} },
}

// ranged reads a range variable over a literal list ("for _, q := range []string{...}"), or the field of
// one over a list of struct literals, as the list's texts.
func (s *scanner) ranged(fn *scope, id *ast.Ident, field string) []string {
	if id.Obj == nil {
		return nil
	}
	var out []string
	ast.Inspect(fn.decl.Body, func(n ast.Node) bool {
		r, ok := n.(*ast.RangeStmt)
		if !ok || out != nil {
			return out == nil
		}
		v, ok := r.Value.(*ast.Ident)
		if !ok || v.Obj != id.Obj {
			return true
		}
		lit, ok := r.X.(*ast.CompositeLit)
		if !ok {
			return true
		}
		pos := -1
		if at, ok := lit.Type.(*ast.ArrayType); ok && field != "" {
			if st, ok := at.Elt.(*ast.StructType); ok {
				i := 0
				for _, f := range st.Fields.List {
					for _, n := range f.Names {
						if n.Name == field {
							pos = i
						}
						i++
					}
				}
			}
		}
		for _, e := range lit.Elts {
			if field == "" {
				out = append(out, s.texts(fn, e)...)
				continue
			}
			el, ok := e.(*ast.CompositeLit)
			if !ok {
				continue
			}
			for i, f := range el.Elts {
				if kv, ok := f.(*ast.KeyValueExpr); ok {
					if k, ok := kv.Key.(*ast.Ident); ok && k.Name == field {
						out = append(out, s.texts(fn, kv.Value)...)
					}
				} else if i == pos {
					out = append(out, s.texts(fn, f)...)
				}
			}
		}
		return false
	})
	return out
}

// local reads a local variable's texts from its assignments in fn, in source order.
func (s *scanner) local(fn *scope, id *ast.Ident) []string {
	var out []string
	found := false
	ast.Inspect(fn.body(), func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok {
			return true
		}
		for i, l := range as.Lhs {
			lid, ok := l.(*ast.Ident)
			if !ok || lid.Obj != id.Obj || as.Pos() > id.Pos() || (id.Pos() >= as.Pos() && id.Pos() < as.End()) {
				continue
			}
			var rhs ast.Expr
			if len(as.Rhs) == len(as.Lhs) {
				rhs = as.Rhs[i]
			} else {
				return true // v, err := f(): not a text
			}
			found = true
			switch as.Tok {
			case token.ADD_ASSIGN:
				if out == nil {
					out = []string{""}
				}
				out = cross(out, s.texts(fn, rhs))
			case token.DEFINE, token.ASSIGN:
				// v = v + more appends, like v += more
				if b, ok := rhs.(*ast.BinaryExpr); ok && b.Op == token.ADD && out != nil {
					if l, ok := b.X.(*ast.Ident); ok && l.Obj == id.Obj {
						out = cross(out, s.texts(fn, b.Y))
						continue
					}
				}
				out = append(out, s.texts(fn, rhs)...)
			}
		}
		return true
	})
	if !found || len(out) > maxVariants*maxVariants {
		return nil
	}
	return out
}

func cross(a, b []string) []string {
	var out []string
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
			if len(out) >= maxVariants*maxVariants {
				return out
			}
		}
	}
	return out
}

// exprString names a short expression for a hole.
func exprString(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return exprString(x.X) + "." + x.Sel.Name
	case *ast.CallExpr:
		args := make([]string, len(x.Args))
		for i, a := range x.Args {
			args[i] = exprString(a)
		}
		return exprString(x.Fun) + "(" + strings.Join(args, ", ") + ")"
	case *ast.BasicLit:
		return x.Value
	case *ast.IndexExpr:
		return exprString(x.X) + "[" + exprString(x.Index) + "]"
	case *ast.StarExpr:
		return "*" + exprString(x.X)
	case *ast.BinaryExpr:
		return exprString(x.X) + x.Op.String() + exprString(x.Y)
	case *ast.ParenExpr:
		return "(" + exprString(x.X) + ")"
	}
	return fmt.Sprintf("%T", e)
}

func isHoleOnly(t string) bool {
	t = strings.TrimSpace(t)
	return strings.HasPrefix(t, "⟨") && strings.HasSuffix(t, "⟩") && strings.Count(t, "⟨") == 1
}

func isParamOnly(t string) bool {
	return isHoleOnly(t) && strings.HasPrefix(strings.TrimSpace(t), "⟨$")
}

// looksSQL tells a statement from another string handed to a method of the same name.
func looksSQL(t string) bool {
	u := strings.ToUpper(strings.TrimSpace(t))
	for _, k := range []string{"SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "CREATE", "ALTER", "DROP", "SAVEPOINT", "RELEASE", "ROLLBACK", "VACUUM", "PRAGMA", "SET", "LOCK", "TRUNCATE", "ANALYZE", "COPY", "BEGIN", "COMMIT", "SHOW", "NOTIFY", "LISTEN", "⟨"} {
		if strings.HasPrefix(u, k) {
			return true
		}
	}
	return false
}
