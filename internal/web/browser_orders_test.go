package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"bianmin/internal/clock"
	"bianmin/internal/testkit"
)

// 督办 from the browser (issue 12: directors see 督办 in their queue): the supervisor orders action on a case
// from its page (an order without content is refused, naming the field by its label), the township's director
// finds the order at the top of the queue, answers it there, and the case's page shows the answer.
func TestBrowserOrderOnCase(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	c := deskCase(t, r, "11010519491231002X", "乌云其木格")
	clk, err := r.Service.Clock(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	due := clk.Cal.NextWorkingDay(clk.Cal.NextWorkingDay(clock.DateOf(r.DB.Now().In(clk.Rules.Location)))).String()
	ctx := browser(t)
	browserLogin(t, ctx, r.URL, "supervisor")
	do(t, ctx, chromedp.Navigate(r.URL+"/cases/"+c.ID), chromedp.WaitVisible(chromedp.CSS(`#order-new`)))
	do(t, ctx, chromedp.SetValue(chromedp.CSS(`#order-due`), due))
	submit(t, ctx, `#order-new button`)
	if got := j0(t, ctx, `#errors`); !strings.Contains(got, "督办内容") {
		t.Errorf("an order without content: %q", got)
	}
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#order-content`), "群众反映办理缓慢，请说明情况"))
	submit(t, ctx, `#order-new button`)
	if got := j0(t, ctx, `#done`); !strings.Contains(got, "已发出督办") {
		t.Errorf("the order's confirmation: %q", got)
	}
	if got := j0(t, ctx, `ul.orders`); !strings.Contains(got, "群众反映办理缓慢") || !strings.Contains(got, due) {
		t.Errorf("the case's orders: %q", got)
	}
	audit(ctx, t, "case with an order")
	do(t, ctx, chromedp.Click(chromedp.CSS(`.tools form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/login"]`)))

	browserLogin(t, ctx, r.URL, "tianshan.director")
	do(t, ctx, chromedp.Navigate(r.URL+"/cases"), chromedp.WaitVisible(chromedp.CSS(`#desk-orders`)))
	if got := j0(t, ctx, `#desk-orders`); !strings.Contains(got, "待您回复的督办催办（1件）") || !strings.Contains(got, c.No) || !strings.Contains(got, "群众反映办理缓慢") {
		t.Errorf("the director's queue: %q", got)
	}
	audit(ctx, t, "queue with an order")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#desk-orders textarea`), "已入户核查，三日内办结"))
	submit(t, ctx, `#desk-orders button`)
	if n := eval[int](t, ctx, `document.querySelectorAll("#desk-orders").length`); n != 0 {
		t.Error("an answered order still waits in the queue")
	}
	do(t, ctx, chromedp.Navigate(r.URL+"/cases/"+c.ID), chromedp.WaitVisible(chromedp.CSS(`ul.orders`)))
	if got := j0(t, ctx, `ul.orders`); !strings.Contains(got, "已入户核查，三日内办结") || !strings.Contains(got, "回复") {
		t.Errorf("the answer on the case's page: %q", got)
	}
	// in Mongolian, the queue's order list and the case's are set as the rest of the page
	do(t, ctx, chromedp.Click(chromedp.CSS(`.switch[lang="mn-Mong"]`)), chromedp.WaitVisible(chromedp.CSS(`html[lang^=mn]`)))
	if got := j0(t, ctx, `#orders`); !strings.Contains(got, "ᠬᠢᠨᠠᠨ ᠰᠠᠬᠢᠬᠤ") {
		t.Errorf("the Mongolian heading: %q", got)
	}
	audit(ctx, t, "case with an order, Mongolian")
}
