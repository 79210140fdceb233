// Command pulumi-bench-engine stands in for the Pulumi engine in the benchmark's lifecycle
// (bench/measure.py): it drives provider servers over gRPC as the engine does, in Go as the
// engine is, so that the harness's own CPU (a Python gRPC client costs ~0.7 ms per call, about
// 1 s per 200-pipeline lifecycle) does not compete with the emulators and the servers measured.
//
//	pulumi-bench-engine --concurrency N < commands
//
// Standard input: first one line of JSON, the job:
//
//	{"servers": [PORT, ...], "resources": [{"server": INDEX, "urn": URN,
//	  "program": BASE64, "edited": BASE64}, ...]}
//
// where program and edited are serialized google.protobuf.Struct messages (the resource's
// inputs as the program declares them, before and after the edit). Then one phase per line,
// "create", "read", "update" or "delete", each run over every resource in order, N at a time:
//
//	create  Check(olds {}, news program), Create(the checked inputs)
//	read    Read(id, the state)
//	update  Check(olds inputs, news edited), Diff and Update (an in-place change is required)
//	delete  Delete(id, the state)
//
// As the engine does, each answer's Struct goes into the next request unchanged. After each
// phase it prints "done PHASE"; on the first failure "error PHASE: REASON", and it exits 1.
package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
)

type jobSpec struct {
	Servers   []int `json:"servers"`
	Resources []struct {
		Server  int    `json:"server"`
		URN     string `json:"urn"`
		Program string `json:"program"`
		Edited  string `json:"edited"`
	} `json:"resources"`
}

type resource struct {
	provider        pulumirpc.ResourceProviderClient
	urn             string
	program, edited *structpb.Struct
	id              string
	inputs, state   *structpb.Struct
}

func decodeStruct(encoded string) (*structpb.Struct, error) {
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return nil, err
	}
	value := &structpb.Struct{}
	return value, proto.Unmarshal(raw, value)
}

func check(ctx context.Context, r *resource, olds, news *structpb.Struct) (*structpb.Struct, error) {
	checked, err := r.provider.Check(ctx, &pulumirpc.CheckRequest{Urn: r.urn, Olds: olds, News: news})
	if err != nil {
		return nil, err
	}
	if len(checked.GetFailures()) > 0 {
		return nil, fmt.Errorf("check failed: %v", checked.GetFailures())
	}
	return checked.GetInputs(), nil
}

func step(ctx context.Context, phase string, r *resource) error {
	switch phase {
	case "create":
		inputs, err := check(ctx, r, &structpb.Struct{}, r.program)
		if err != nil {
			return err
		}
		created, err := r.provider.Create(ctx, &pulumirpc.CreateRequest{Urn: r.urn, Properties: inputs})
		if err != nil {
			return err
		}
		r.id, r.inputs, r.state = created.GetId(), inputs, created.GetProperties()
	case "read":
		read, err := r.provider.Read(ctx, &pulumirpc.ReadRequest{Id: r.id, Urn: r.urn, Properties: r.state})
		if err != nil {
			return err
		}
		if read.GetId() != r.id {
			return fmt.Errorf("read answered id %q for %q", read.GetId(), r.id)
		}
		r.state = read.GetProperties()
	case "update":
		news, err := check(ctx, r, r.inputs, r.edited)
		if err != nil {
			return err
		}
		diff, err := r.provider.Diff(ctx, &pulumirpc.DiffRequest{
			Id: r.id, Urn: r.urn, Olds: r.state, News: news, OldInputs: r.inputs,
		})
		if err != nil {
			return err
		}
		if diff.GetChanges() != pulumirpc.DiffResponse_DIFF_SOME || len(diff.GetReplaces()) > 0 {
			return fmt.Errorf("expected an in-place change, got %v", diff)
		}
		updated, err := r.provider.Update(ctx, &pulumirpc.UpdateRequest{
			Id: r.id, Urn: r.urn, Olds: r.state, News: news, OldInputs: r.inputs,
		})
		if err != nil {
			return err
		}
		r.state = updated.GetProperties()
	case "delete":
		_, err := r.provider.Delete(ctx, &pulumirpc.DeleteRequest{Id: r.id, Urn: r.urn, Properties: r.state})
		return err
	default:
		return errors.New("unknown phase")
	}
	return nil
}

// run takes every resource through one phase, in order, `concurrency` at a time.
func run(phase string, resources []*resource, concurrency int) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	next := make(chan *resource)
	var once sync.Once
	var failure error
	var workers sync.WaitGroup
	for range concurrency {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for r := range next {
				if err := step(ctx, phase, r); err != nil {
					once.Do(func() { failure = fmt.Errorf("%s: %w", r.urn, err); cancel() })
				}
			}
		}()
	}
	for _, r := range resources {
		if ctx.Err() != nil {
			break
		}
		next <- r
	}
	close(next)
	workers.Wait()
	return failure
}

func main() {
	concurrency := flag.Int("concurrency", 16, "operations at a time, as the engine's --parallel")
	flag.Parse()
	input := bufio.NewReader(os.Stdin)
	fail := func(stage string, err error) {
		fmt.Printf("error %s: %s\n", stage, strings.ReplaceAll(err.Error(), "\n", " "))
		os.Exit(1)
	}
	line, err := input.ReadString('\n')
	if err != nil {
		fail("job", err)
	}
	var spec jobSpec
	if err := json.Unmarshal([]byte(line), &spec); err != nil {
		fail("job", err)
	}
	providers := make([]pulumirpc.ResourceProviderClient, len(spec.Servers))
	for i, port := range spec.Servers {
		conn, err := grpc.NewClient(fmt.Sprintf("127.0.0.1:%d", port),
			grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			fail("job", err)
		}
		defer conn.Close()
		providers[i] = pulumirpc.NewResourceProviderClient(conn)
	}
	resources := make([]*resource, len(spec.Resources))
	for i, declared := range spec.Resources {
		program, err := decodeStruct(declared.Program)
		if err != nil {
			fail("job", err)
		}
		edited, err := decodeStruct(declared.Edited)
		if err != nil {
			fail("job", err)
		}
		resources[i] = &resource{provider: providers[declared.Server], urn: declared.URN, program: program, edited: edited}
	}
	fmt.Println("ready")
	for {
		line, err := input.ReadString('\n')
		phase := strings.TrimSpace(line)
		if phase == "" && err != nil {
			return // end of input
		}
		if err := run(phase, resources, *concurrency); err != nil {
			fail(phase, err)
		}
		fmt.Printf("done %s\n", phase)
	}
}
