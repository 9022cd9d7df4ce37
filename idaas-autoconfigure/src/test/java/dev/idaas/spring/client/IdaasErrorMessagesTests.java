package dev.idaas.spring.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.context.support.StaticMessageSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link IdaasErrorMessages} and the texts of {@link IdaasApiException}.
 */
class IdaasErrorMessagesTests {

	private final IdaasErrorMessages messages = new IdaasErrorMessages();

	static Stream<Arguments> codes() {
		return Stream.of(
				Arguments.of("IDAAS.SDK.PARAM.0001", "Device information is incomplete", "设备信息不完整"),
				Arguments.of("IDAAS.SDK.PARAM.0002", "clientId cannot be empty", "clientId不能为空"),
				Arguments.of("IDAAS.SDK.PARAM.0003", "The app is not registered, please register the app first",
						"应用未注册,请先注册应用"),
				Arguments.of("IDAAS.SDK.PARAM.0011", "Apple authorization code cannot be empty", "Apple授权码不能为空"),
				Arguments.of("IDAAS.SDK.PARAM.0016", "IdToken is invalid or expired", "IdToken无效或已过期"),
				Arguments.of("IDAAS.SDK.PARAM.0022", "Session token cannot be empty", "会话令牌不能为空"),
				Arguments.of("IDAAS.SDK.PARAM.0023", "Invalid or expired session token", "会话令牌无效或已过期"),
				Arguments.of("IDAAS.SDK.COM.0002", "System busy, please try again later", "系统繁忙,请稍后再试"),
				Arguments.of("IDAAS.SDK.USER.0039", "User is disabled", "用户已被禁用"),
				Arguments.of("IDAAS.SDK.CAPTCHA.0002", "Graphic verification code verification failed", "图形验证码校验失败"),
				Arguments.of("IDAAS.SDK.CAPTCHA.0006", "The verification code could not be sent, please try again later",
						"验证码发送失败,请稍后再试"),
				Arguments.of("IDAAS.SDK.CAPTCHA.0007", "Incorrect verification code", "验证码错误"),
				Arguments.of("IDAAS.SDK.COMMON.1007", "The sign-in has expired, please sign in again",
						"登录已过期,请重新登录"),
				Arguments.of("IDAAS.STARTER.UPSTREAM_UNAVAILABLE",
						"The identity service is unavailable, please try again later", "身份服务暂时不可用,请稍后再试"),
				Arguments.of("IDAAS.STARTER.UPSTREAM_TIMEOUT",
						"The identity service did not answer in time, please sign in again", "身份服务响应超时,请重新登录"),
				Arguments.of("IDAAS.STARTER.MALFORMED_RESPONSE",
						"The identity service sent an answer that could not be understood", "身份服务返回了无法识别的响应"),
				Arguments.of("IDAAS.STARTER.INVALID_HEADER", "The request contains an invalid device or client value",
						"请求中包含无效的设备或客户端信息"),
				Arguments.of("IDAAS.STARTER.INVALID_CODE", "The Apple authorization code is missing or invalid",
						"Apple授权码缺失或无效"),
				Arguments.of("IDAAS.STARTER.ACCESS_DENIED", "Access denied", "访问被拒绝"),
				Arguments.of("IDAAS.STARTER.INVALID_ID_TOKEN", "The identity token is invalid", "身份令牌无效"),
				Arguments.of("IDAAS.STARTER.INVALID_STATE",
						"The sign-in request is invalid or has expired, please sign in again", "登录请求无效或已过期,请重新登录"),
				Arguments.of("IDAAS.STARTER.SESSION_EXPIRED", "Your session has expired, please sign in again",
						"会话已过期,请重新登录"),
				Arguments.of("IDAAS.STARTER.UNKNOWN_ERROR", "An unexpected error occurred", "发生未知错误"));
	}

	@ParameterizedTest
	@MethodSource("codes")
	void getMessageWhenEnglishThenVendorEnglishText(String code, String english, String chinese) {
		assertThat(this.messages.getMessage(code, Locale.ENGLISH)).isEqualTo(english);
		assertThat(this.messages.getMessage(code, Locale.US)).isEqualTo(english);
	}

	@ParameterizedTest
	@MethodSource("codes")
	void getMessageWhenChineseThenVendorChineseText(String code, String english, String chinese) {
		assertThat(this.messages.getMessage(code, Locale.CHINESE)).isEqualTo(chinese);
		assertThat(this.messages.getMessage(code, Locale.SIMPLIFIED_CHINESE)).isEqualTo(chinese);
		assertThat(this.messages.getMessage(code, Locale.forLanguageTag("zh-Hant-TW"))).isEqualTo(chinese);
	}

	@ParameterizedTest
	@MethodSource("codes")
	void getMessageWhenOtherLanguageThenEnglish(String code, String english, String chinese) {
		assertThat(this.messages.getMessage(code, Locale.FRENCH)).isEqualTo(english);
		assertThat(this.messages.getMessage(code, Locale.ROOT)).isEqualTo(english);
	}

	@ParameterizedTest
	@MethodSource("codes")
	void getLocalizedMessageWhenExceptionThenLocalizedAndMessageIsCodeAndEnglish(String code, String english,
			String chinese) {
		IdaasApiException ex = new IdaasApiException(code, IdaasErrorCategory.UNKNOWN, 400, "vendor text", null);
		assertThat(ex.getMessage()).isEqualTo(code + ": " + english);
		assertThat(ex.getLocalizedMessage(Locale.ENGLISH)).isEqualTo(english);
		assertThat(ex.getLocalizedMessage(Locale.SIMPLIFIED_CHINESE)).isEqualTo(chinese);
		assertThat(ex.getLocalizedMessage(Locale.GERMAN)).isEqualTo(english);
	}

	@Test
	void getMessageWhenUnknownCodeWithVendorMessageThenVendorMessage() {
		assertThat(this.messages.getMessage("IDAAS.SDK.NEW.0001", "Brand new error", Locale.CHINESE))
			.isEqualTo("Brand new error");
	}

	@Test
	void getMessageWhenVendorMessageHasFormatCharactersOrIsOverlongThenReplacedAndCut() {
		assertThat(this.messages.getMessage("IDAAS.SDK.NEW.0001", "a\u202eb\u2028c\u200bd", Locale.ENGLISH))
			.isEqualTo("a?b?c?d");
		assertThat(this.messages.getMessage("IDAAS.SDK.NEW.0001", "\uD83D\uDE00".repeat(150), Locale.ENGLISH))
			.hasSize(200)
			.isEqualTo("\uD83D\uDE00".repeat(100));
	}

	@Test
	void getMessageWhenVendorMessageHasControlCharactersThenReplaced() {
		assertThat(this.messages.getMessage("IDAAS.SDK.NEW.0001", "line1\r\nFAKE", Locale.ENGLISH))
			.isEqualTo("line1??FAKE");
	}

	@Test
	void getMessageWhenUnknownCodeWithoutVendorMessageThenGenericTextWithCode() {
		assertThat(this.messages.getMessage("IDAAS.SDK.NEW.0001", Locale.ENGLISH))
			.isEqualTo("Identity service error IDAAS.SDK.NEW.0001");
		assertThat(this.messages.getMessage("IDAAS.SDK.NEW.0001", " ", Locale.CHINESE))
			.isEqualTo("身份服务错误 IDAAS.SDK.NEW.0001");
	}

	@Test
	void getMessageWhenKnownCodeThenBundleTextWinsOverVendorMessage() {
		assertThat(this.messages.getMessage("IDAAS.SDK.USER.0039", "something else", Locale.CHINESE))
			.isEqualTo("用户已被禁用");
	}

	@Test
	void getMessageWhenCustomMessageSourceThenItsTextsWithEnglishFallback() {
		StaticMessageSource source = new StaticMessageSource();
		source.addMessage("IDAAS.SDK.USER.0039", Locale.ENGLISH, "Account locked");
		source.addMessage("IDAAS.SDK.USER.0039", Locale.JAPANESE, "アカウントはロックされています");
		IdaasErrorMessages custom = new IdaasErrorMessages(source);
		assertThat(custom.getMessage("IDAAS.SDK.USER.0039", Locale.JAPANESE)).isEqualTo("アカウントはロックされています");
		assertThat(custom.getMessage("IDAAS.SDK.USER.0039", Locale.KOREAN)).isEqualTo("Account locked");
		assertThat(custom.getMessage("IDAAS.SDK.PARAM.0001", Locale.KOREAN))
			.isEqualTo("Identity service error IDAAS.SDK.PARAM.0001");
	}

	@Test
	void constructorWhenNullThenIllegalArgument() {
		assertThatIllegalArgumentException().isThrownBy(() -> new IdaasErrorMessages(null))
			.withMessage("messageSource cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.messages.getMessage("IDAAS.SDK.USER.0039", null))
			.withMessage("locale cannot be null");
	}

	@Test
	void exceptionWhenCreatedWithoutResponseThenStatusZeroAndNoVendorMessage() {
		IdaasApiException ex = new IdaasApiException(IdaasErrorCodes.SESSION_EXPIRED, IdaasErrorCategory.INVALID_SESSION);
		assertThat(ex.getHttpStatus()).isZero();
		assertThat(ex.getVendorMessage()).isNull();
		assertThat(ex.getUpstreamStatus()).isNull();
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.INVALID_SESSION);
		assertThat(ex.getMessage())
			.isEqualTo("IDAAS.STARTER.SESSION_EXPIRED: Your session has expired, please sign in again");
	}

	@Test
	void exceptionWhenSerializedThenLocalizedMessageStillWorks() throws Exception {
		IdaasApiException ex = new IdaasApiException(IdaasErrorCodes.USER_DISABLED, IdaasErrorCategory.USER_DISABLED,
				400, "User is disabled", null);
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(ex);
		}
		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
			IdaasApiException copy = (IdaasApiException) in.readObject();
			assertThat(copy.getErrorCode()).isEqualTo("IDAAS.SDK.USER.0039");
			assertThat(copy.getHttpStatus()).isEqualTo(400);
			assertThat(copy.getLocalizedMessage(Locale.CHINESE)).isEqualTo("用户已被禁用");
		}
	}

}
