package cases

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// FuzzMoveInput: any move, by any desk, with any input (as the API decodes it) on a case at any point of
// its path never panics; a refused move leaves the case exactly as it was, and a move made records the
// move and the state it led to.
func FuzzMoveInput(f *testing.F) {
	seed := func(path uint8, a Action, d Desk, in Input) {
		b, _ := json.Marshal(in)
		f.Add(path, string(a), string(d), b, uint16(60))
	}
	// from the table tests: the moves, their inputs and the refusals they test
	seed(0, Accept, Front, Input{Materials: materials(false)})
	seed(0, Accept, Front, Input{Materials: materials(true)})
	seed(0, AskCorrection, Front, Input{Materials: materials(true)})
	seed(0, AcceptOwed, Front, Input{Materials: []MaterialCheck{{Name: "银行卡", Check: Owed, Deferrable: true}}})
	seed(0, Refuse, Front, Input{Reason: "不属于本机关职权范围"})
	seed(1, Pass, Back, Input{})
	seed(1, Suspend, Back, Input{Kind: "听证", Reason: "x"})
	seed(1, RequestExtension, Back, Input{Days: 11, Reason: "复杂"})
	seed(2, Decide, Back, Input{Grant: true})
	seed(3, Issue, Front, Input{Method: "post", Tracking: "EMS123"})
	seed(4, Deliver, Front, Input{})
	seed(1, OwedArrived, Front, Input{Materials: []MaterialCheck{{Name: "居民身份证", Check: SeenOriginal}}})
	seed(1, Assign, Director, Input{Assignee: "s1"})
	f.Add(uint8(0), "accept", "front", []byte(`{"owed_by":"2026-02-30","check_by":"x"}`), uint16(0))

	setup := []struct {
		a Action
		d Desk
	}{{Accept, Front}, {Pass, Back}, {Decide, Back}, {Issue, Front}, {Deliver, Front}}
	f.Fuzz(func(t *testing.T, path uint8, action, desk string, input []byte, minutes uint16) {
		c := dibao()
		for _, s := range setup[:int(path)%(len(setup)+1)] {
			in := Input{Materials: materials(false), Grant: true, Method: "window"}
			if _, err := c.Apply(s.a, s.d, in, at("2026-03-02 10:00"), clk); err != nil {
				t.Fatalf("setup %s: %v", s.a, err)
			}
		}
		var in Input
		if json.Unmarshal(input, &in) != nil {
			return // the API refuses what does not decode
		}
		before, _ := json.Marshal(c)
		now := at("2026-03-03 09:00").Add(time.Duration(minutes) * time.Minute)
		ev, err := c.Apply(Action(action), Desk(desk), in, now, clk)
		after, _ := json.Marshal(c)
		if err != nil {
			if !bytes.Equal(before, after) {
				t.Fatalf("a refused %s changed the case:\n%s\n%s", action, before, after)
			}
			return
		}
		if ev.Action != Action(action) || ev.To != c.State {
			t.Fatalf("the event of %s says %s to %s; the case is %s", action, ev.Action, ev.To, c.State)
		}
	})
}
