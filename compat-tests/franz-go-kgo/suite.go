// Package suite only pins franz-go: its own pkg/kgo tests run from the module cache with
// `go test github.com/twmb/franz-go/pkg/kgo` (see README.md).
package suite

import _ "github.com/twmb/franz-go/pkg/kgo"
