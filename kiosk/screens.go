package kiosk

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"motcua/internal/client"
	"motcua/internal/queue"
	"motcua/internal/receipt"
)

// screens are the kiosk's widgets that outlive one screen.
type screens struct {
	k     *Kiosk
	clock *widget.Label
	err   *widget.Label
}

func newScreens(k *Kiosk) *screens {
	return &screens{k: k, clock: widget.NewLabel(""), err: widget.NewLabel("")}
}

func (s *screens) setError(err error) {
	e := queue.AsError(err)
	s.err.SetText(fmt.Sprintf("Không in được phiếu: %s.\nSố vừa lấy đã được huỷ. Vui lòng liên hệ cán bộ hướng dẫn.\n\n(%s. The ticket was cancelled; please ask staff.)", e.Message, e.MessageEN))
	if e.Code == "" || e.Code == queue.EInternal || (e.Code != "printer_offline" && e.Code != "printer_paper_out" && e.Code != "printer_cover_open") {
		s.err.SetText(fmt.Sprintf("Không lấy được số: %s\n\n(%s)", e.Message, e.MessageEN))
	}
}

// render shows the current screen. It runs on the UI thread.
func (k *Kiosk) render() {
	k.mu.Lock()
	screen, snap, last, priority, keys := k.screen, k.snap, k.last, k.priority, k.keys
	k.mu.Unlock()
	var content fyne.CanvasObject
	switch screen {
	case "home":
		content = k.ui.home(snap, priority)
	case "priority":
		content = k.ui.priorityChoice(snap)
	case "search":
		content = k.ui.search(snap, keys)
	case "ticket":
		content = k.ui.ticket(*last)
	case "error":
		content = k.ui.message(k.ui.err)
	default:
		content = k.ui.offline()
	}
	k.win.SetContent(content)
}

// big is a line of large text in the theme's foreground colour.
func big(text string, size float32, bold bool) *canvas.Text {
	t := canvas.NewText(text, theme.Color(theme.ColorNameForeground))
	t.TextSize, t.TextStyle.Bold, t.Alignment = size, bold, fyne.TextAlignCenter
	return t
}

func (s *screens) home(snap *queue.Snapshot, priority string) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(snap.Office, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	prompt := widget.NewLabelWithStyle("Chạm vào dịch vụ để lấy số thứ tự · Touch a service to take a number", fyne.TextAlignCenter, fyne.TextStyle{})
	prompt.Wrapping = fyne.TextWrapWord
	prioText := "Ưu tiên (người cao tuổi, khuyết tật, mang thai…) · Priority"
	if name := priorityName(snap, priority); name != "" {
		prioText = "Đã chọn ưu tiên: " + name + " · Priority chosen"
	}
	prio := widget.NewButton(prioText, func() { s.k.ChoosePriority("") })
	if priority != "" {
		prio.Importance = widget.HighImportance
	}
	grid := container.NewGridWithColumns(2)
	for _, svc := range snap.Services {
		label := fmt.Sprintf("%s\n%d người đang chờ · %s", svc.Name, svc.Waiting, waitText(svc.ETAMinutes))
		id := svc.ID
		b := widget.NewButton(label, func() { s.k.issue(id) })
		b.Importance = widget.HighImportance
		grid.Add(b)
	}
	find := widget.NewButton("Tìm thủ tục (khai sinh, chứng thực…) · Search", func() { s.k.OpenSearch() })
	return container.NewBorder(container.NewVBox(title, s.clock, prompt), container.NewVBox(find, prio), nil, nil, container.NewVScroll(grid))
}

func (s *screens) priorityChoice(snap *queue.Snapshot) fyne.CanvasObject {
	box := container.NewVBox(widget.NewLabelWithStyle("Chọn diện ưu tiên · Choose your priority", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}))
	for _, p := range snap.PriorityClasses {
		id := p.ID
		box.Add(widget.NewButton(p.Name, func() { s.k.ChoosePriority(id) }))
	}
	box.Add(widget.NewButton("Không ưu tiên · No priority", func() { s.k.Home() }))
	return container.NewVScroll(box)
}

func (s *screens) ticket(t client.Ticket) fyne.CanvasObject {
	nums := ""
	for i, n := range t.Counters {
		if i > 0 {
			nums += ", "
		}
		nums += fmt.Sprint(n)
	}
	lines := container.NewVBox(
		big("SỐ THỨ TỰ CỦA BẠN · YOUR NUMBER", 28, false),
		big(t.Display, 160, true),
		big(t.ServiceName, 40, true),
		big("Quầy phục vụ: "+nums, 30, false),
		big(fmt.Sprintf("Số người chờ trước bạn: %d · %s", t.Ahead, waitText(t.ETAMinutes)), 30, false),
	)
	if img, err := receipt.QR(s.k.ticketURL(t), 240); err == nil {
		qr := canvas.NewImageFromImage(img)
		qr.FillMode = canvas.ImageFillOriginal
		lines.Add(container.NewCenter(qr))
		lines.Add(big("Quét mã để theo dõi lượt gọi trên điện thoại", 24, false))
	}
	home := widget.NewButton("Về trang chủ · Home", func() { s.k.Home() })
	return container.NewBorder(nil, home, nil, nil, container.NewCenter(lines))
}

func (s *screens) message(l *widget.Label) fyne.CanvasObject {
	l.Wrapping, l.Alignment = fyne.TextWrapWord, fyne.TextAlignCenter
	home := widget.NewButton("Về trang chủ · Home", func() { s.k.Home() })
	return container.NewBorder(nil, home, nil, nil, container.NewCenter(l))
}

func (s *screens) offline() fyne.CanvasObject {
	return container.NewVBox(layout.NewSpacer(),
		big("Hệ thống tạm gián đoạn", 56, true),
		big("Vui lòng chờ trong giây lát hoặc liên hệ cán bộ.", 30, false),
		big("The system is temporarily unavailable. Please wait or ask staff.", 24, false),
		layout.NewSpacer())
}

// waitText says how long the wait is likely to be.
func waitText(minutes int) string {
	if minutes <= 0 {
		return "không phải chờ"
	}
	return fmt.Sprintf("chờ khoảng %d phút", minutes)
}
