package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"time"
)

type message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

func complete(client *http.Client, prompt string) (string, error) {
	body, _ := json.Marshal(map[string]any{
		"model":    "accounts/fireworks/models/llama-v3p1-8b-instruct",
		"messages": []message{{Role: "user", Content: prompt}},
	})
	req, err := http.NewRequest("POST", os.Getenv("FIREWORKS_BASE_URL")+"/chat/completions", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+os.Getenv("FIREWORKS_API_KEY"))
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("fireworks: unexpected status %s: %s", resp.Status, data)
	}
	return string(data), nil
}

func main() {
	client := &http.Client{Timeout: 2 * time.Second}
	out, err := complete(client, "Write a commit message")
	if err != nil {
		log.Fatalf("completion failed: %v", err)
	}
	fmt.Println(out)
}
