package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestUnreportedGoTasks(t *testing.T) {
	reported := []longTask{{Start: 100, Duration: 80}}
	for _, tc := range []struct {
		name string
		call goCall
		want int
	}{
		{"inside a reported task", goCall{Start: 110, Duration: 60, Name: "rupt_call"}, 0},
		{"mostly inside a reported task", goCall{Start: 150, Duration: 50, Name: "rupt_call"}, 0},
		{"outside every reported task", goCall{Start: 300, Duration: 102.6, Name: "run"}, 1},
		{"overlapping a reported task by less than half", goCall{Start: 170, Duration: 60, Name: "run"}, 1},
		{"shorter than 50 ms", goCall{Start: 300, Duration: 49.9, Name: "rupt_call"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := unreportedGoTasks(pageData{Longtasks: reported, GoCalls: []goCall{tc.call}})
			if assert.Len(t, got, tc.want) && tc.want == 1 {
				a := got[0]
				assert.Equal(t, tc.call.Start, a.Start)
				assert.Equal(t, tc.call.Duration, a.Duration, "the Go call's duration, a lower bound of the task's")
				assert.Equal(t, tc.call.Duration, a.GoMs)
				assert.True(t, a.FromWasm, "counted as ours")
				assert.Contains(t, a.Why, "did not report")
			}
		})
	}
}
