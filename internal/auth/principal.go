package auth

import (
	"motcua/internal/problem"
	"motcua/internal/queue"
)

// Principal is who a request comes from; the zero value is anonymous.
type Principal struct {
	Actor   queue.Actor
	Kind    string // device kind
	Counter int    // a rating screen's counter
	Role    string // a user's role
}

// IsStaff is true of a logged-in user: the full view, staff-only routes.
func (p Principal) IsStaff() bool {
	return p.Actor.Kind == queue.ActorClerk || p.Actor.Kind == queue.ActorAdmin
}

// The refusals of who may not do a thing.
var (
	ErrNeedLogin = problem.Errorf(problem.EUnauthorized, "Cần đăng nhập", "login required")
	ErrNeedStaff = problem.Errorf(problem.EForbidden, "Chỉ cán bộ đã đăng nhập mới làm được thao tác này", "only a logged-in clerk may do this")
	ErrNeedAdmin = problem.Errorf(problem.EForbidden, "Chỉ quản trị viên mới làm được thao tác này", "admin only")
	ErrNeedKiosk = problem.Errorf(problem.EForbidden, "Chỉ máy cấp số hoặc cán bộ mới cấp được số", "only a kiosk or a clerk may issue tickets")
)

// NeedSupervisor refuses anyone but an admin or the desk's supervisor (the
// reports): 401 without credentials, 403 with others.
func NeedSupervisor(p Principal) error {
	if p.Role == queue.RoleSupervisor {
		return nil
	}
	return NeedAdmin(p)
}

// NeedAdmin refuses anyone but an admin: 401 without credentials, 403 with others.
func NeedAdmin(p Principal) error {
	switch p.Actor.Kind {
	case queue.ActorAdmin:
		return nil
	case "":
		return ErrNeedLogin
	}
	return ErrNeedAdmin
}

// NeedDevice refuses anyone but a device: 401 without credentials, 403
// (saying vi, en) with a user's.
func NeedDevice(p Principal, vi, en string) error {
	switch p.Actor.Kind {
	case queue.ActorDevice:
		return nil
	case "":
		return ErrNeedLogin
	}
	return &problem.Error{Code: problem.EForbidden, Message: vi, MessageEN: en}
}
