package server

import (
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"motcua/internal/auth"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
)

// GET /metrics, in Prometheus's text format, on a registry of our own: the
// tickets and their waits as the events are published, the queues, the
// feed, the devices, the store's commits and the shipping to the province
// as they stand at the scrape. Staff with a login (admin or desk head) may
// read it, and a scraper from an address of Config.MetricsFrom without one;
// anyone else is refused.

// commitObserver is a store that says how its commits go (internal/bolt).
type commitObserver interface {
	ObserveCommits(fn func(commands int, took time.Duration))
	DiskWriteTime() time.Duration
}

type metrics struct {
	reg           *prometheus.Registry
	tickets       *prometheus.CounterVec
	wait, service *prometheus.HistogramVec
	alerts        *prometheus.CounterVec
	batch         prometheus.Histogram
	commit        prometheus.Histogram
}

// minutes are the waits' and services' buckets, in seconds: 1 min to 2 h.
var minutes = []float64{60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200}

func (s *Server) newMetrics() *metrics {
	m := &metrics{reg: prometheus.NewRegistry(),
		tickets: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "motcua_tickets_total",
			Help: "Tickets by service and outcome (issued, served, no_show, cancelled) since the server started."}, []string{"service", "outcome"}),
		wait: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "motcua_wait_seconds",
			Help: "How long a ticket waited in its queue before it was called, by service.", Buckets: minutes}, []string{"service"}),
		service: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "motcua_service_seconds",
			Help: "How long a ticket was served (called to finished), by service.", Buckets: minutes}, []string{"service"}),
		alerts: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "motcua_alerts_total",
			Help: "Alerts raised for the desk head, by kind."}, []string{"kind"}),
		batch: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "motcua_commit_commands",
			Help: "Commands that shared one commit of the store (group commit).", Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256}}),
		commit: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "motcua_commit_seconds",
			Help: "How long one commit of the store took, its fsync included.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}),
	}
	m.reg.MustRegister(m.tickets, m.wait, m.service, m.alerts, m.batch, m.commit,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "motcua_feed_clients", Help: "Feed (websocket) clients connected now."},
		func() float64 { return float64(s.hub.Count()) }))
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "motcua_uploads_receiving",
		Help: "Scans being received now (at most 2 at once; more are asked to send again)."}, func() float64 { return float64(len(s.uploads)) }))
	m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "motcua_feed_overflows_total",
		Help: "Feed clients that fell behind (their queue full) and were sent a fresh snapshot."}, func() float64 { return float64(s.hub.Overflows()) }))
	m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "motcua_feed_disconnects_total",
		Help: "Feed clients gone: left, silent too long, revoked, or the server closing."}, func() float64 { return float64(s.hub.Dropped()) }))
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "motcua_devices_seen",
		Help: "Devices (kiosks, boards, rating screens) heard from in the last 2 minutes."}, func() float64 {
		n := 0
		for _, d := range s.seen.all() {
			if s.now().Sub(d.At) < 2*time.Minute || d.Online > 0 {
				n++
			}
		}
		return float64(n)
	}))
	m.reg.MustRegister(&roomCollector{s: s})
	if o, ok := s.q.(commitObserver); ok {
		o.ObserveCommits(func(n int, took time.Duration) {
			m.batch.Observe(float64(n))
			m.commit.Observe(took.Seconds())
		})
		m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "motcua_store_write_seconds_total",
			Help: "Time the store spent writing to the disk and syncing it (bbolt's write time)."}, func() float64 { return o.DiskWriteTime().Seconds() }))
	}
	return m
}

// observe counts the published events.
func (m *metrics) observe(evs []queue.Event) {
	for _, e := range evs {
		if t := e.Ticket; t != nil {
			switch e.Type {
			case queue.EvIssued:
				m.tickets.WithLabelValues(t.ServiceID, "issued").Inc()
			case queue.EvCalled:
				if !t.CalledAt.IsZero() && !t.QueuedAt.IsZero() {
					m.wait.WithLabelValues(t.ServiceID).Observe(t.CalledAt.Sub(t.QueuedAt).Seconds())
				}
			case queue.EvDone:
				m.tickets.WithLabelValues(t.ServiceID, "served").Inc()
				if !t.CalledAt.IsZero() && !t.DoneAt.IsZero() {
					m.service.WithLabelValues(t.ServiceID).Observe(t.DoneAt.Sub(t.CalledAt).Seconds())
				}
			case queue.EvNoShow:
				m.tickets.WithLabelValues(t.ServiceID, "no_show").Inc()
			case queue.EvCancelled:
				m.tickets.WithLabelValues(t.ServiceID, "cancelled").Inc()
			}
		}
		if e.Type == queue.EvAlert && e.Raised != nil {
			m.alerts.WithLabelValues(e.Raised.Kind).Inc()
		}
	}
}

// roomCollector reads the queues and the shipping at the scrape.
type roomCollector struct{ s *Server }

var (
	descWaiting = prometheus.NewDesc("motcua_waiting", "People waiting now, by service.", []string{"service"}, nil)
	descOpen    = prometheus.NewDesc("motcua_counters_open", "Counters open now for the service.", []string{"service"}, nil)
	descLag     = prometheus.NewDesc("motcua_sync_lag_events", "Events not yet shipped to the province (absent when nothing ships).", []string{"office"}, nil)
	descShipped = prometheus.NewDesc("motcua_sync_shipped_seq", "The last event the province holds.", []string{"office"}, nil)
	descErr     = prometheus.NewDesc("motcua_sync_failing", "1 while the last try to ship failed.", []string{"office"}, nil)
	descEpoch   = prometheus.NewDesc("motcua_epoch", "The epoch of this primary (a standby taking over makes the next).", nil, nil)
	descPos     = prometheus.NewDesc("motcua_store_position", "The last change this server's store holds.", nil, nil)
	descSbConn  = prometheus.NewDesc("motcua_standby_connected", "1 while a standby server follows this one (absent until one has followed since the start).", nil, nil)
	descSbStep  = prometheus.NewDesc("motcua_standby_in_step", "1 while the standby holds every change acknowledged to a client; 0 raises the alert \"standby not keeping up\".", nil, nil)
	descSbLag   = prometheus.NewDesc("motcua_standby_lag_changes", "Changes this server holds that its standby has not acknowledged.", nil, nil)
)

func (c *roomCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descWaiting, descOpen, descLag, descShipped, descErr, descEpoch, descPos, descSbConn, descSbStep, descSbLag} {
		ch <- d
	}
}

func (c *roomCollector) Collect(ch chan<- prometheus.Metric) {
	for _, st := range c.s.q.Services() {
		ch <- prometheus.MustNewConstMetric(descWaiting, prometheus.GaugeValue, float64(st.Waiting), st.ID)
		ch <- prometheus.MustNewConstMetric(descOpen, prometheus.GaugeValue, float64(st.OpenCounters), st.ID)
	}
	c.collectStandby(ch)
	if st := c.s.syncView(); st != nil {
		failing := 0.0
		if st.LastError != "" {
			failing = 1
		}
		ch <- prometheus.MustNewConstMetric(descLag, prometheus.GaugeValue, float64(st.Lag), st.Office)
		ch <- prometheus.MustNewConstMetric(descShipped, prometheus.GaugeValue, float64(st.Shipped), st.Office)
		ch <- prometheus.MustNewConstMetric(descErr, prometheus.GaugeValue, failing, st.Office)
	}
}

// ParseScrapers reads the addresses Config.MetricsFrom takes: addresses and networks
// ("127.0.0.1", "10.0.0.0/24"), comma-separated.
func ParseScrapers(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		p, err := netip.ParsePrefix(f)
		if a, aerr := netip.ParseAddr(f); aerr == nil { // an address alone: itself
			p, err = netip.PrefixFrom(a, a.BitLen()), nil
		}
		if err != nil {
			return nil, problem.Errorf(problem.EInvalid, "Địa chỉ được đọc /metrics %q không hợp lệ", "the metrics scraper address %q is not an address or a network", f)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// handleMetrics serves /metrics to staff and to the configured scrapers.
func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	if !s.scraper(r) {
		p, err := s.auth.Identify(r)
		if err == nil {
			err = auth.NeedSupervisor(p)
		}
		if err != nil {
			reply.Error(w, r, err)
			return
		}
	}
	promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
}

// scraper tells whether the request comes from a configured scraper.
func (s *Server) scraper(r *http.Request) bool {
	a, err := netip.ParseAddr(auth.ClientAddr(r))
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range s.metricsFrom {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// collectStandby says the epoch, the store's position and, on a primary
// that takes a standby, how its standby stands.
func (c *roomCollector) collectStandby(ch chan<- prometheus.Metric) {
	h := &c.s.standby
	ch <- prometheus.MustNewConstMetric(descEpoch, prometheus.GaugeValue, float64(h.own()))
	if h.pos == nil {
		return
	}
	pos := h.pos()
	ch <- prometheus.MustNewConstMetric(descPos, prometheus.GaugeValue, float64(pos))
	if h.following == nil {
		return
	}
	st := h.following()
	if !st.Connected && st.Pos == 0 {
		return // no standby has followed since the start
	}
	ch <- prometheus.MustNewConstMetric(descSbConn, prometheus.GaugeValue, b2f(st.Connected))
	ch <- prometheus.MustNewConstMetric(descSbStep, prometheus.GaugeValue, b2f(st.InStep))
	ch <- prometheus.MustNewConstMetric(descSbLag, prometheus.GaugeValue, float64(pos-min(st.Pos, pos)))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
