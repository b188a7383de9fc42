package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
)

// StarWeeksName is the star history read from GitHub's stargazers/history
// (starhist.Book, opaque JSON here), in the private state store: each page
// is read once, ever, and kept there.
const StarWeeksName = "history/starweeks.json"

// LoadStarWeeks returns the star weeks the last run saved. A missing or
// corrupt object gives nil and a warning (every page is read again); a
// store that cannot be read is an error.
func LoadStarWeeks(ctx context.Context, st Store) (b []byte, warning, err error) {
	b, _, err = st.Get(ctx, StarWeeksName)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("no star weeks in %s: star history is read from its newest page", st), nil
	case errors.Is(err, ErrCorrupt):
		return nil, fmt.Errorf("the star weeks in %s are corrupt: star history is read again from its newest page", st), nil
	case err != nil:
		return nil, nil, fmt.Errorf("load star weeks: %w", err)
	}
	return b, nil, nil
}

// SaveStarWeeks writes merge(the stored star weeks, nil when none) back with
// a precondition, merging again when another sync wrote them meanwhile.
func SaveStarWeeks(ctx context.Context, st Store, merge func(old []byte) ([]byte, error)) error {
	for range recordTries {
		old, gen, err := st.Get(ctx, StarWeeksName)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			old, gen = nil, NoGen
		case errors.Is(err, ErrCorrupt):
			old = nil // replaced: its generation came with the error
		case err != nil:
			return fmt.Errorf("save star weeks: %w", err)
		}
		b, err := merge(old)
		if err != nil {
			return fmt.Errorf("save star weeks: %w", err)
		}
		_, err = st.PutIf(ctx, StarWeeksName, b, gen)
		if errors.Is(err, ErrConflict) {
			continue
		}
		if err != nil {
			return fmt.Errorf("save star weeks: %w", err)
		}
		return nil
	}
	return fmt.Errorf("save star weeks: %d concurrent writers in a row: %w", recordTries, ErrConflict)
}
