package dev.idaas.spring.test.example;

import dev.idaas.spring.test.context.IdaasSimulatorDevelopmentConfiguration;

import org.springframework.boot.SpringApplication;

public class TestMyApp {

    public static void main(String[] args) {
        SpringApplication.from(MyApp::main).with(IdaasSimulatorDevelopmentConfiguration.class).run(args);
    }

}
